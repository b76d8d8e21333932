import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  Appointment,
  AppointmentStatus,
  PatientIdentifier,
  type CareEventMessage,
  type Patient,
} from '@caregraph/schema';
import type { PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { newControlId } from '../message/index.js';
import type { OutboundDestination } from './outbound-config.js';
import { OutboundMessage } from './outbound-message.js';
import { asIntegration, scheduleSend } from './outbound-queue.js';
import { siuTriggerOf, writeSiu, type SiuIdentifier, type SiuInput } from './siu-message.js';

/** The subscription name of the outbound producer (its cursor). */
export const OUTBOUND_SUBSCRIPTION = 'outbound';

/** The hub's own patient id goes out as a last PID-3 repetition of this type (table 0203). */
const HUB_ID_TYPE = 'PI';

/** What an event needs to be written as an SIU: the appointment, its patient and identifiers. */
interface AppointmentView {
  appointment: Appointment;
  patient: Patient;
  identifiers: SiuIdentifier[];
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'NOT_FOUND';
}

/**
 * Turns the tenant's appointment events into queued SIU messages, one per destination that
 * follows the event's type: reads the appointment as stored now (a snapshot), writes the SIU and
 * inserts it in one transaction per event (an event delivered again finds its rows and queues
 * nothing), then schedules the destinations' send jobs.
 */
export class OutboundProducer {
  constructor(private readonly ctx: PluginContext<Hl7v2Config>) {}

  /** The destinations that follow `type`. */
  destinationsFor(type: string): OutboundDestination[] {
    return this.ctx.config.outbound.filter((d) => (d.events as readonly string[]).includes(type));
  }

  /** Handles one event (the durable subscription's handler: idempotent by `event.id`). */
  async handle(event: CareEventMessage): Promise<void> {
    const destinations = this.destinationsFor(event.type);
    if (destinations.length === 0 || event.subject.type !== 'Appointment') return;
    const queued = await asIntegration(this.ctx, async (scope) => {
      const view = await this.load(scope, event.subject.id);
      if (!view) {
        this.ctx.logger.warn(
          { eventId: event.id, type: event.type },
          'HL7 outbound: the appointment of the event is gone; nothing queued',
        );
        return [];
      }
      try {
        return await this.queue(scope, event, view, destinations);
      } catch (error) {
        // Another worker queued this event at the same time (its job is scheduled by it).
        if (error instanceof UniqueConstraintViolationException) return [];
        throw error;
      }
    });
    for (const name of queued) await scheduleSend(this.ctx, name);
  }

  private async load(scope: TenantScope, id: string): Promise<AppointmentView | undefined> {
    const em = scope.em.fork();
    const appointment = await em.findOne(Appointment, id, { populate: ['practitioner'] });
    if (!appointment) return undefined;
    let patient: Patient;
    try {
      patient = await scope.patients.get(appointment.patient.id);
    } catch (error) {
      if (isNotFound(error)) return undefined; // erased
      throw error;
    }
    const rows = await em.find(
      PatientIdentifier,
      { patient: patient.id },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const identifiers: SiuIdentifier[] = rows.map((row) => ({
      system: row.system,
      value: row.value,
      type: row.type,
      assigner: row.assigner,
    }));
    return { appointment, patient, identifiers };
  }

  /** Inserts the event's messages (one per destination not done yet); returns their destinations. */
  private queue(
    scope: TenantScope,
    event: CareEventMessage,
    view: AppointmentView,
    destinations: OutboundDestination[],
  ): Promise<string[]> {
    const { appointment, patient } = view;
    const record = `Appointment/${appointment.id}`;
    return scope.write(async (w) => {
      const queued: string[] = [];
      for (const destination of destinations) {
        const where = { destination: destination.name };
        if (await w.em.findOne(OutboundMessage, { ...where, sourceEventId: event.id })) continue;
        const announced = (await w.em.count(OutboundMessage, { ...where, record })) > 0;
        const trigger = siuTriggerOf(event.type, announced);
        if (!trigger) continue;
        const controlId = newControlId();
        const text = writeSiu(this.siuInput(destination, trigger, controlId, view));
        w.em.create(OutboundMessage, {
          tenantId: scope.tenantId,
          destination: destination.name,
          controlId,
          messageType: `SIU^${trigger}`,
          text,
          sourceEventId: event.id,
          sourceEventType: event.type,
          eventPosition: event.position,
          patientId: patient.id,
          record,
        });
        w.audit({
          action: 'E',
          type: 'hl7.outbound.queue',
          entity: record,
          patientId: patient.id,
          detail: { destination: destination.name, messageType: `SIU^${trigger}` },
        });
        queued.push(destination.name);
      }
      return queued;
    });
  }

  private siuInput(
    destination: OutboundDestination,
    trigger: SiuInput['trigger'],
    controlId: string,
    { appointment, patient, identifiers }: AppointmentView,
  ): SiuInput {
    const practitioner = appointment.practitioner;
    return {
      trigger,
      controlId,
      now: new Date(),
      sendingApplication: this.ctx.config.application,
      sendingFacility: this.ctx.config.facility,
      receivingApplication: destination.receivingApplication,
      receivingFacility: destination.receivingFacility,
      appointment: {
        id: appointment.id,
        status: appointment.status as AppointmentStatus,
        start: appointment.start,
        end: appointment.end,
        serviceType: appointment.serviceType,
        location: appointment.location,
      },
      practitioner: practitioner
        ? { id: practitioner.id, npi: practitioner.npi, name: practitioner.name }
        : undefined,
      patient: {
        id: patient.id,
        names: patient.names,
        birthDate: patient.birthDate,
        gender: patient.gender,
      },
      identifiers: [
        ...identifiers,
        {
          system: `urn:hl7v2:${encodeURIComponent(this.ctx.config.application)}`,
          value: patient.id,
          type: HUB_ID_TYPE,
        },
      ],
    };
  }
}
