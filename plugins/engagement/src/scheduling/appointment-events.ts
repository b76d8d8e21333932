import { CareEventType, type CareEventMessage } from '@caregraph/schema';
import type { PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import type { Clock } from './clock.js';
import { reconcileAppointment } from './reconcile-appointment.js';

/** The events after which an appointment's messages are planned again. */
export const APPOINTMENT_EVENT_TYPES = [
  CareEventType.APPOINTMENT_BOOKED,
  CareEventType.APPOINTMENT_RESCHEDULED,
  CareEventType.APPOINTMENT_CANCELLED,
  CareEventType.APPOINTMENT_NO_SHOW,
] as const;

const APPOINTMENT_EVENTS: ReadonlySet<CareEventType> = new Set(APPOINTMENT_EVENT_TYPES);

/**
 * Follows the tenant's appointment events durably (the hub's cursor: a restart resumes where it
 * left off, every event at least once) and reconciles each appointment's pending messages.
 */
export function followAppointments(ctx: PluginContext<EngagementConfig>, clock: Clock): void {
  const { tenantId, integrationUserId: userId } = ctx.config;
  ctx.subscribe(
    tenantId,
    async (event: CareEventMessage) => {
      if (!APPOINTMENT_EVENTS.has(event.type) || event.subject.type !== 'Appointment') return;
      const result = await ctx.inTenant({ tenantId, userId }, (scope) =>
        reconcileAppointment(scope, event.subject.id, clock.now()),
      );
      ctx.metrics.increment('messages_planned', result.planned);
      ctx.metrics.increment('messages_cancelled', result.cancelled);
    },
    ctx.signal,
    { name: 'appointments' },
  );
}
