/** Stable codes of the errors the policy functions raise for a bad rule or tenant setting. */
export const PolicyErrorCode = {
  /** A quiet-hours window is not `HH:MM`–`HH:MM` with the start before the end. */
  QUIET_HOURS: 'CG_ERR_ENGAGEMENT_QUIET_HOURS',
  /** A frequency cap is not a positive whole number of messages per `day` or `week`. */
  FREQUENCY_CAP: 'CG_ERR_ENGAGEMENT_FREQUENCY_CAP',
  /** The recipient's time zone is not an IANA zone name this runtime knows. */
  TIME_ZONE: 'CG_ERR_ENGAGEMENT_TIME_ZONE',
} as const;
export type PolicyErrorCode = (typeof PolicyErrorCode)[keyof typeof PolicyErrorCode];

/** A policy setting (window, cap, zone) that cannot be applied; the message names the setting. */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
