import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  AllergyIntolerance,
  Appointment,
  CarePlan,
  CareTeam,
  Communication,
  Condition,
  ConditionClinicalStatus,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  ObservationCategory,
  Observation,
  Patient,
  PatientIdentifier,
  RelatedPerson,
  SLOT_HOLDING_APPOINTMENT_STATUSES,
  Task,
} from '@caregraph/schema';
import { authenticated } from '../../context/authenticated.js';
import type { PatientRowsQuery, SqlCondition } from '../../context/patient-rows-loader.js';
import type { RequestContext } from '../../context/request-context.js';
import { patientTimeline } from '../../services/timeline-service.js';
import type { ConnectionShape } from '../types/connection.js';
import * as C from '../types/connections.js';
import { PageArgs } from '../types/pagination.js';
import { TimelineEntryConnection } from '../types/timeline.js';

@ArgsType()
class AppointmentListArgs extends PageArgs {
  @Field(() => Boolean, {
    nullable: true,
    description: 'Only booked appointments that have not started, soonest first.',
  })
  upcoming?: boolean;
}

@ArgsType()
class ObservationListArgs extends PageArgs {
  @Field(() => ObservationCategory, { nullable: true })
  category?: ObservationCategory;
}

@ArgsType()
class ActiveListArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only active entries.' })
  activeOnly?: boolean;
}

function columnIn(column: string, values: readonly string[]): SqlCondition {
  return { sql: `t.${column} in (${values.map(() => '?').join(', ')})`, params: [...values] };
}

function statusIn(statuses: readonly string[]): SqlCondition {
  return columnIn('status', statuses);
}

/** The relations of a patient, each loaded through a per-request DataLoader. */
@Resolver(() => Patient)
export class PatientFieldsResolver {
  private page<T extends object>(
    context: RequestContext,
    patient: Patient,
    name: string,
    query: PatientRowsQuery<T>,
    args: PageArgs,
  ): Promise<ConnectionShape<T>> {
    return authenticated(context).loaders.pageByPatient(name, query, args).load(patient.id);
  }

  @FieldResolver(() => [PatientIdentifier])
  identifiers(
    @Root() patient: Patient,
    @Ctx() context: RequestContext,
  ): Promise<PatientIdentifier[]> {
    return authenticated(context)
      .loaders.allByPatient(PatientIdentifier, 'createdAt')
      .load(patient.id);
  }

  @FieldResolver(() => [CareTeam], {
    description: 'Care teams the patient is currently enrolled on.',
  })
  careTeams(@Root() patient: Patient, @Ctx() context: RequestContext): Promise<CareTeam[]> {
    return authenticated(context).loaders.careTeamsOfPatient().load(patient.id);
  }

  @FieldResolver(() => [RelatedPerson])
  relatedPersons(
    @Root() patient: Patient,
    @Ctx() context: RequestContext,
  ): Promise<RelatedPerson[]> {
    return authenticated(context).loaders.allByPatient(RelatedPerson, 'createdAt').load(patient.id);
  }

  @FieldResolver(() => C.AppointmentConnection, {
    description: 'Newest first, or soonest first with upcoming: true.',
  })
  appointments(
    @Root() patient: Patient,
    @Args(() => AppointmentListArgs) args: AppointmentListArgs,
    @Ctx() context: RequestContext,
  ) {
    if (args.upcoming) {
      const now = authenticated(context).loaders.now;
      return this.page(
        context,
        patient,
        'appointments:upcoming',
        {
          entity: Appointment,
          orderBy: 'start',
          direction: 'asc',
          where: {
            sql: `t.start >= ? and ${statusIn(SLOT_HOLDING_APPOINTMENT_STATUSES).sql}`,
            params: [now, ...SLOT_HOLDING_APPOINTMENT_STATUSES],
          },
        },
        args,
      );
    }
    return this.page(
      context,
      patient,
      'appointments',
      { entity: Appointment, orderBy: 'start', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.EncounterConnection)
  encounters(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return this.page(
      context,
      patient,
      'encounters',
      { entity: Encounter, orderBy: 'periodStart', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.ObservationConnection, {
    description: 'Results and vital signs, newest first.',
  })
  observations(
    @Root() patient: Patient,
    @Args(() => ObservationListArgs) args: ObservationListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.category ? { sql: 't.category = ?', params: [args.category] } : undefined;
    return this.page(
      context,
      patient,
      `observations:${args.category ?? '*'}`,
      { entity: Observation, orderBy: 'effectiveAt', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.ConditionConnection)
  conditions(
    @Root() patient: Patient,
    @Args(() => ActiveListArgs) args: ActiveListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.activeOnly
      ? columnIn('clinical_status', [
          ConditionClinicalStatus.ACTIVE,
          ConditionClinicalStatus.RECURRENCE,
          ConditionClinicalStatus.RELAPSE,
        ])
      : undefined;
    return this.page(
      context,
      patient,
      `conditions:${!!args.activeOnly}`,
      { entity: Condition, orderBy: 'recordedAt', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.MedicationStatementConnection, {
    description: 'Medications the patient takes or took.',
  })
  medications(
    @Root() patient: Patient,
    @Args(() => ActiveListArgs) args: ActiveListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.activeOnly ? statusIn(['active', 'intended', 'on-hold']) : undefined;
    return this.page(
      context,
      patient,
      `medications:${!!args.activeOnly}`,
      { entity: MedicationStatement, orderBy: 'createdAt', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.MedicationRequestConnection, {
    description: 'Prescriptions and medication orders.',
  })
  medicationRequests(
    @Root() patient: Patient,
    @Args(() => ActiveListArgs) args: ActiveListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.activeOnly ? statusIn(['active', 'on-hold']) : undefined;
    return this.page(
      context,
      patient,
      `medicationRequests:${!!args.activeOnly}`,
      { entity: MedicationRequest, orderBy: 'authoredOn', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.AllergyIntoleranceConnection)
  allergies(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return this.page(
      context,
      patient,
      'allergies',
      { entity: AllergyIntolerance, orderBy: 'recordedAt', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.ImmunizationConnection)
  immunizations(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return this.page(
      context,
      patient,
      'immunizations',
      { entity: Immunization, orderBy: 'occurrenceAt', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.CoverageConnection)
  coverages(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return this.page(
      context,
      patient,
      'coverages',
      { entity: Coverage, orderBy: 'createdAt', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.CarePlanConnection)
  carePlans(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return this.page(
      context,
      patient,
      'carePlans',
      { entity: CarePlan, orderBy: 'updatedAt', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.TaskConnection)
  tasks(
    @Root() patient: Patient,
    @Args(() => ActiveListArgs) args: ActiveListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.activeOnly
      ? statusIn(['requested', 'received', 'accepted', 'ready', 'in-progress', 'on-hold'])
      : undefined;
    return this.page(
      context,
      patient,
      `tasks:${!!args.activeOnly}`,
      { entity: Task, orderBy: 'authoredOn', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.CommunicationConnection)
  communications(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return this.page(
      context,
      patient,
      'communications',
      { entity: Communication, orderBy: 'occurredAt', direction: 'desc' },
      args,
    );
  }

  @FieldResolver(() => C.ConsentConnection)
  consents(
    @Root() patient: Patient,
    @Args(() => ActiveListArgs) args: ActiveListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.activeOnly ? statusIn(['active']) : undefined;
    return this.page(
      context,
      patient,
      `consents:${!!args.activeOnly}`,
      { entity: Consent, orderBy: 'periodStart', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => TimelineEntryConnection, {
    description: 'Everything above merged, newest first.',
  })
  timeline(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ) {
    return patientTimeline(authenticated(context), patient.id, args);
  }

  @FieldResolver(() => Patient, {
    nullable: true,
    description: 'Set on a merged record: the surviving record.',
  })
  async replacedBy(
    @Root() patient: Patient,
    @Ctx() context: RequestContext,
  ): Promise<Patient | undefined> {
    return patient.replacedBy
      ? authenticated(context).loaders.byId(Patient).load(patient.replacedBy.id)
      : undefined;
  }

  @FieldResolver(() => [Patient], { description: 'Records merged into this one.' })
  async replaces(@Root() patient: Patient, @Ctx() context: RequestContext): Promise<Patient[]> {
    return authenticated(context).em.find(Patient, { replacedBy: patient.id });
  }
}
