import { CareEventType } from '@caregraph/schema';
import type { PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import type { Clock } from './clock.js';
import { followEvents, type EventPlanner } from './follow-events.js';
import { reconcileAppointment } from './reconcile-appointment.js';

/** The events after which an appointment's messages are planned again. */
export const APPOINTMENT_EVENT_TYPES = [
  CareEventType.APPOINTMENT_BOOKED,
  CareEventType.APPOINTMENT_RESCHEDULED,
  CareEventType.APPOINTMENT_CANCELLED,
  CareEventType.APPOINTMENT_NO_SHOW,
  CareEventType.APPOINTMENT_FULFILLED,
] as const;

const reconcile: EventPlanner = (scope, event, now) =>
  event.subject.type === 'Appointment'
    ? reconcileAppointment(scope, event.subject.id, now)
    : Promise.resolve({ planned: 0, cancelled: 0 });

/**
 * Follows the tenant's appointment events durably and reconciles each appointment's pending
 * messages.
 */
export function followAppointments(ctx: PluginContext<EngagementConfig>, clock: Clock): void {
  followEvents(
    ctx,
    clock,
    'appointments',
    Object.fromEntries(APPOINTMENT_EVENT_TYPES.map((type) => [type, reconcile])),
  );
}
