import type { MessageHeader } from './types.js';

/** HL7 table 0155: when an acknowledgement is wanted. */
export type AckCondition = 'AL' | 'NE' | 'ER' | 'SU';

/** Which acknowledgements a message asks for (see {@link ackPlan}). */
export interface AckPlan {
  /**
   * `original`: MSH-15 and MSH-16 both empty; one application ACK (AA/AE/AR) after processing.
   * `enhanced`: a commit ACK (CA/CE/CR) once the message is safely stored, per MSH-15, and an
   * application ACK (AA/AE/AR) after processing, per MSH-16.
   */
  mode: 'original' | 'enhanced';
  /** MSH-15 as applied (enhanced mode), `undefined` in original mode. */
  acceptCondition?: AckCondition;
  /** MSH-16 as applied (enhanced mode); `AL` in original mode. */
  applicationCondition: AckCondition;
  /** Whether to send a commit ACK, given whether storing succeeded. Always `false` in original mode. */
  commit(ok: boolean): boolean;
  /** Whether to send an application ACK, given whether processing succeeded. */
  application(ok: boolean): boolean;
}

/** Options of {@link ackPlan}. */
export interface AckPlanOptions {
  /**
   * The condition used in enhanced mode for the one of MSH-15/MSH-16 that is empty or not a
   * table 0155 value. Default `AL`: both are "required for enhanced mode" and the standard gives
   * no default, so the hub errs on the side of answering (an unneeded ACK is harmless to the
   * sender's retry logic; a missing one makes it resend or stall).
   */
  missingCondition?: AckCondition;
}

const CONDITIONS = new Set<string>(['AL', 'NE', 'ER', 'SU']);

function wanted(condition: AckCondition, ok: boolean): boolean {
  switch (condition) {
    case 'AL':
      return true;
    case 'NE':
      return false;
    case 'ER':
      return !ok;
    case 'SU':
      return ok;
  }
}

function condition(value: string | undefined, fallback: AckCondition): AckCondition {
  const v = value?.trim().toUpperCase();
  return v !== undefined && CONDITIONS.has(v) ? (v as AckCondition) : fallback;
}

/**
 * The acknowledgement plan of a message: original mode when MSH-15 and MSH-16 are both empty,
 * enhanced mode when either is valued (HL7 v2.5 chapter 2, acknowledgement rules).
 */
export function ackPlan(
  header: Pick<MessageHeader, 'acceptAckType' | 'applicationAckType'>,
  options: AckPlanOptions = {},
): AckPlan {
  const accept = header.acceptAckType?.trim() || undefined;
  const app = header.applicationAckType?.trim() || undefined;
  if (accept === undefined && app === undefined) {
    return {
      mode: 'original',
      applicationCondition: 'AL',
      commit: () => false,
      application: () => true,
    };
  }
  const missing = options.missingCondition ?? 'AL';
  const acceptCondition = condition(accept, missing);
  const applicationCondition = condition(app, missing);
  return {
    mode: 'enhanced',
    acceptCondition,
    applicationCondition,
    commit: (ok) => wanted(acceptCondition, ok),
    application: (ok) => wanted(applicationCondition, ok),
  };
}
