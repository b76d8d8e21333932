/**
 * The repository's default configuration: what `npm start` (and `npx caregraph ...`) run with
 * from this folder, unless `CAREGRAPH_CONFIG` names another file (or a `caregraph.config.ts` or
 * `.js`, looked for first, sits beside this one). It is an assembly (DESIGN.md:
 * adapters slot in beside core, never inside it), so it registers the HL7 v2 adapter for the demo
 * clinic here rather than in core: the seed pins the demo tenant and its integration account to
 * the ids below, and the adapter acts as that account.
 *
 * `CAREGRAPH_HL7_LISTEN`: the MLLP listener, `127.0.0.1:2575` by default; a port, `host:port`, or
 * `off` (no listener; `npx caregraph hl7 import <file>` still works with the hub stopped).
 * The engagement plugin runs for the demo clinic too, as the same account. The demo has no SMTP or
 * SMS provider: only the in-app channel is on (messages become the patient's Communications and
 * reach their `patientEvents` subscription), plus email when `CAREGRAPH_DEMO_SMTP` names a local
 * relay (`host:port`, e.g. a mail catcher on `127.0.0.1:1025`; no TLS, so loopback only).
 * A config of your own: point `CAREGRAPH_CONFIG` at it.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withConfig } from '@caregraph/plugin-sdk';
import { hl7v2, parseListenAddress } from '@caregraph/adapter-hl7v2';
import { engagement } from '@caregraph/plugin-engagement';

/** The demo clinic's tenant and the integration account its HL7 feed acts as. */
export const DEMO_IDS = {
  tenantId: '6f3c1c1e-2b1a-4c7e-9a51-0d3e5f6a7b8c',
  integrationUserId: 'b2a4f0e8-5c3d-4e1f-8a6b-7c9d0e1f2a3b',
};

/** The sample message the startup banner suggests sending. */
export const SAMPLE_ADT = fileURLToPath(
  new URL('./adapters/hl7v2/examples/adt-a04-register-patient.hl7', import.meta.url),
);

/** What the startup banner adds: how to try the feed. */
function hl7Notes(listen, cwd) {
  const sample = relative(cwd, SAMPLE_ADT);
  if (!listen)
    return [
      'HL7 v2: the MLLP listener is off (CAREGRAPH_HL7_LISTEN=off). Import a file with the hub stopped:',
      `  npx caregraph hl7 import ${sample}`,
    ];
  return [
    `HL7 v2 (demo clinic feed): MLLP listener on ${listen.host}:${listen.port} (CAREGRAPH_HL7_LISTEN: host:port or off)`,
    'Send it a sample ADT^A04 (a new patient) and see the ACK:',
    `  npx caregraph hl7 send ${sample}`,
    'Then, with the admin or integration token: { integrationMessages(first: 5) { edges { node { controlId messageType status } } } }',
  ];
}

/**
 * The engagement plugin's demo settings: in-app always, email to a local relay only when
 * `CAREGRAPH_DEMO_SMTP` is set (`host:port` on loopback; anything else is refused).
 *
 * @param {Record<string, string | undefined>} env
 */
export function engagementDemoConfig(env) {
  const smtp = env.CAREGRAPH_DEMO_SMTP?.trim();
  const channels = { inApp: true };
  if (smtp) {
    const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(smtp);
    if (!match)
      throw new Error(
        'CAREGRAPH_DEMO_SMTP must be a local relay, host:port on loopback (e.g. 127.0.0.1:1025)',
      );
    channels.email = {
      host: match[1].replace(/^\[|\]$/g, ''),
      port: Number(match[2]),
      security: 'none',
      from: 'Demo Clinic <noreply@demo-clinic.example>',
    };
  }
  return { ...DEMO_IDS, practice: { name: 'Demo Clinic', phone: '+1 555 0100' }, channels };
}

/** What the startup banner adds about engagement. */
function engagementNotes(config) {
  return [
    `Engagement: reminders of booked appointments go out in-app${config.channels.email ? ` and by email to ${config.channels.email.host}:${config.channels.email.port}` : ' (set CAREGRAPH_DEMO_SMTP=127.0.0.1:1025 for email to a local mail catcher)'}`,
    'With the patient token: subscription { patientEvents(patientId: "<your id>") { type subject { ... on Communication { channel body } } } }',
  ];
}

/**
 * The demo configuration for an environment (`process.env`): the HL7 v2 adapter on the demo
 * tenant, its listener from `CAREGRAPH_HL7_LISTEN`, and the engagement plugin.
 *
 * @param {Record<string, string | undefined>} env
 * @param {string} [cwd] where relative paths in the banner start (default: the working directory)
 */
export function demoConfig(env, cwd = process.cwd()) {
  const listen = parseListenAddress(env.CAREGRAPH_HL7_LISTEN, 'CAREGRAPH_HL7_LISTEN');
  const engagementConfig = engagementDemoConfig(env);
  return {
    seedIds: DEMO_IDS,
    plugins: [withConfig(hl7v2, { ...DEMO_IDS, listen }), withConfig(engagement, engagementConfig)],
    startupNotes: [...hl7Notes(listen, cwd), ...engagementNotes(engagementConfig)],
  };
}

export default demoConfig(process.env);
