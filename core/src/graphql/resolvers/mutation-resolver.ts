import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import {
  AddCareTeamMemberInput,
  Appointment,
  AppointmentStatus,
  BookAppointmentInput,
  CareTeamMember,
  Consent,
  CreatePatientInput,
  Observation,
  CreateTaskInput,
  Patient,
  RecordConsentInput,
  RescheduleAppointmentInput,
  Task,
  UpdatePatientInput,
} from '@caregraph/schema';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import {
  bookAppointment,
  cancelAppointment,
  rescheduleAppointment,
  setAppointmentStatus,
} from '../../services/appointment-service.js';
import { addCareTeamMember, removeCareTeamMember } from '../../services/care-team-service.js';
import { recordConsent, revokeConsent } from '../../services/consent-service.js';
import { createPatient, mergePatients, updatePatient } from '../../services/patient-service.js';
import { releaseLabResult } from '../../services/observation-service.js';
import { completeTask, createTask } from '../../services/task-service.js';

/** Root mutations of the core model. Each runs in one transaction with its audit rows. */
@Resolver()
export class MutationResolver {
  @Mutation(() => Patient)
  createPatient(
    @Arg('input', () => CreatePatientInput) input: CreatePatientInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createPatient(authenticated(ctx), input);
  }

  @Mutation(() => Patient)
  updatePatient(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdatePatientInput) input: UpdatePatientInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updatePatient(authenticated(ctx), id, input);
  }

  @Mutation(() => Patient, {
    description: 'Moves everything from loserId to survivorId; returns the survivor.',
  })
  mergePatients(
    @Arg('survivorId', () => ID) survivorId: string,
    @Arg('loserId', () => ID) loserId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return mergePatients(authenticated(ctx), survivorId, loserId);
  }

  @Mutation(() => CareTeamMember)
  addCareTeamMember(
    @Arg('input', () => AddCareTeamMemberInput) input: AddCareTeamMemberInput,
    @Ctx() ctx: RequestContext,
  ) {
    return addCareTeamMember(authenticated(ctx), input);
  }

  @Mutation(() => CareTeamMember, {
    description: 'Ends the membership; the row is kept for history.',
  })
  removeCareTeamMember(@Arg('memberId', () => ID) memberId: string, @Ctx() ctx: RequestContext) {
    return removeCareTeamMember(authenticated(ctx), memberId);
  }

  @Mutation(() => Appointment)
  bookAppointment(
    @Arg('input', () => BookAppointmentInput) input: BookAppointmentInput,
    @Ctx() ctx: RequestContext,
  ) {
    return bookAppointment(authenticated(ctx), input);
  }

  @Mutation(() => Appointment)
  cancelAppointment(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    return cancelAppointment(authenticated(ctx), id, reason);
  }

  @Mutation(() => Appointment, {
    description:
      'Moves an appointment that has not begun to another time with the same practitioner (an AppointmentRescheduled event).',
  })
  rescheduleAppointment(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RescheduleAppointmentInput) input: RescheduleAppointmentInput,
    @Ctx() ctx: RequestContext,
  ) {
    return rescheduleAppointment(authenticated(ctx), id, input);
  }

  @Mutation(() => Appointment, {
    description: 'Arrived, checked in, fulfilled, no-show… (allowed transitions only).',
  })
  setAppointmentStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => AppointmentStatus) status: AppointmentStatus,
    @Ctx() ctx: RequestContext,
  ) {
    return setAppointmentStatus(authenticated(ctx), id, status);
  }

  @Mutation(() => Task)
  createTask(
    @Arg('input', () => CreateTaskInput) input: CreateTaskInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createTask(authenticated(ctx), input);
  }

  @Mutation(() => Task)
  completeTask(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('outcome', () => String, { nullable: true }) outcome?: string,
  ) {
    return completeTask(authenticated(ctx), id, outcome);
  }

  @Mutation(() => Observation, {
    description:
      'Releases a final laboratory result to the patient (portal, notifications): a LabResultReleased event. Releasing it again changes nothing.',
  })
  releaseLabResult(
    @Arg('observationId', () => ID) observationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return releaseLabResult(authenticated(ctx), observationId);
  }

  @Mutation(() => Consent)
  recordConsent(
    @Arg('input', () => RecordConsentInput) input: RecordConsentInput,
    @Ctx() ctx: RequestContext,
  ) {
    return recordConsent(authenticated(ctx), input);
  }

  @Mutation(() => Consent)
  revokeConsent(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    return revokeConsent(authenticated(ctx), id, reason);
  }
}
