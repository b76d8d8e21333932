import { MedicationRequestStatus } from '@caregraph/schema';
import { parseOffset } from '../store/rule-offset.js';
import {
  planMessage,
  type PlannedMessage,
  type PlanningRule,
  type Recipient,
} from './planned-message.js';

const DAY_MS = 86_400_000;

/** What planning needs of a medication request. */
export interface MedicationFacts {
  id: string;
  patientId: string;
  status: MedicationRequestStatus;
  /** The start of the first supply. */
  authoredOn: Date;
  /** Days one dispense lasts. */
  daysSupply?: number;
  /** Refills after the first dispense (none: the first supply only). */
  refillsAllowed?: number;
  securityLabels: readonly string[];
}

/**
 * Whether a medication request gets messages at all: active, and without security labels (a
 * labelled prescription, say for HIV or substance-use treatment, is the clinic's to discuss
 * directly: even a message naming no drug tells the holder of the phone that there is one).
 */
export function remindable(medication: MedicationFacts): boolean {
  return (
    medication.status === MedicationRequestStatus.ACTIVE && medication.securityLabels.length === 0
  );
}

/** The end of supply period `k` (0 = the first dispense), on the assumption refills are on time. */
function supplyEnd(medication: MedicationFacts, k: number): Date {
  return new Date(medication.authoredOn.getTime() + (k + 1) * medication.daysSupply! * DAY_MS);
}

/**
 * The refill reminders of the current supply period: the first period (the first dispense, then
 * one per refill allowed) that has not ended by `now`. One message per lead time (the rule's
 * `offsets`, e.g. `P3D`) and recipient, due that long before the supply runs out (at once when
 * that has passed already) and expiring when it runs out, when the next period's reminders take
 * over. The key names the period (`supply-<k>:<lead>`): each period reminds once per lead, and
 * planning again (the next sweep) stores nothing twice. No days supply, no reminder.
 */
export function planRefillReminders(
  medication: MedicationFacts,
  rule: PlanningRule & { offsets: readonly string[] },
  recipients: readonly Recipient[],
  now: Date,
): PlannedMessage[] {
  const { daysSupply } = medication;
  if (!remindable(medication) || !daysSupply || daysSupply <= 0) return [];
  const periods = (medication.refillsAllowed ?? 0) + 1;
  const elapsed = now.getTime() - medication.authoredOn.getTime();
  const k = Math.max(0, Math.floor(elapsed / (daysSupply * DAY_MS)));
  if (k >= periods) return [];
  const end = supplyEnd(medication, k);
  const about = `MedicationRequest/${medication.id}`;
  const planned: PlannedMessage[] = [];
  for (const lead of rule.offsets) {
    const ms = parseOffset(lead);
    if (ms === undefined) throw new RangeError(`not a refill lead: ${lead}`);
    const dueAt = new Date(Math.max(end.getTime() - ms, now.getTime()));
    const trigger = `supply-${k}:${lead}`;
    for (const recipient of recipients)
      planned.push(
        planMessage(rule, {
          patientId: medication.patientId,
          recipient,
          about,
          trigger,
          dueAt,
          expiresAt: end,
        }),
      );
  }
  return planned;
}

/**
 * The next adherence check-in of an active medication request: every `cadence` (the rule's
 * `delay`, e.g. `P30D`) after it was authored, the first one not before `now`, as long as it
 * falls within the prescribed supply (all refills included) when a days supply is known. It
 * expires when the one after it is due. Keyed by its number (`check-in-<n>`): once it is sent,
 * the next sweep plans the following one.
 */
export function planAdherenceCheckIn(
  medication: MedicationFacts,
  rule: PlanningRule & { cadence: string },
  recipients: readonly Recipient[],
  now: Date,
): PlannedMessage[] {
  const cadence = parseOffset(rule.cadence);
  if (cadence === undefined) throw new RangeError(`not a check-in cadence: ${rule.cadence}`);
  if (!remindable(medication)) return [];
  const start = medication.authoredOn.getTime();
  const n = Math.max(1, Math.ceil((now.getTime() - start) / cadence));
  const dueAt = new Date(start + n * cadence);
  if (medication.daysSupply) {
    const periods = (medication.refillsAllowed ?? 0) + 1;
    if (dueAt > supplyEnd(medication, periods - 1)) return [];
  }
  const about = `MedicationRequest/${medication.id}`;
  const trigger = `check-in-${n}`;
  return recipients.map((recipient) =>
    planMessage(rule, {
      patientId: medication.patientId,
      recipient,
      about,
      trigger,
      dueAt,
      expiresAt: new Date(dueAt.getTime() + cadence),
    }),
  );
}
