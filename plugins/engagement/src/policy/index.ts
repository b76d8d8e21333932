/**
 * The engagement plugin's policy: pure decisions (no I/O) on whether, when and how often a
 * message may go to a recipient, and what an inbound reply asks for. See the README, "Policy".
 */
export * from './consent-decision.js';
export * from './contact-address.js';
export * from './frequency-caps.js';
export * from './message-kind.js';
export * from './policy-error.js';
export * from './quiet-hours.js';
export * from './reply-keywords.js';
export * from './send-time.js';
export * from './wall-time.js';
