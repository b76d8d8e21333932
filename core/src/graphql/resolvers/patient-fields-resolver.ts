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
import { withoutLabelsSql } from '../../security/sensitive-access.js';
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

  /**
   * `page` for records that can carry sensitivity labels: rows the caller may not see (by role,
   * purpose, consent) are withheld in SQL. Patients with the same withheld labels share a loader,
   * so a list still costs one statement per relation.
   */
  private async sensitivePage<T extends object>(
    context: RequestContext,
    patient: Patient,
    name: string,
    query: PatientRowsQuery<T>,
    args: PageArgs,
  ): Promise<ConnectionShape<T>> {
    const withheld = await authenticated(context).access.withheldLabels(patient.id);
    if (withheld.length === 0) return this.page(context, patient, name, query, args);
    const exclusion = withoutLabelsSql(withheld, 't');
    const where = query.where
      ? {
          sql: `(${query.where.sql}) and ${exclusion.sql}`,
          params: [...query.where.params, ...exclusion.params],
        }
      : exclusion;
    return this.page(context, patient, `${name}|-${withheld.join(',')}`, { ...query, where }, args);
  }

  @FieldResolver(() => [PatientIdentifier], { nullable: true })
  identifiers(
    @Root() patient: Patient,
    @Ctx() context: RequestContext,
  ): Promise<PatientIdentifier[]> {
    return authenticated(context)
      .loaders.allByPatient(PatientIdentifier, 'createdAt')
      .load(patient.id);
  }

  @FieldResolver(() => [CareTeam], {
    nullable: true,
    description: 'Care teams the patient is currently enrolled on.',
  })
  careTeams(@Root() patient: Patient, @Ctx() context: RequestContext): Promise<CareTeam[]> {
    return authenticated(context).loaders.careTeamsOfPatient().load(patient.id);
  }

  @FieldResolver(() => [RelatedPerson], { nullable: true })
  relatedPersons(
    @Root() patient: Patient,
    @Ctx() context: RequestContext,
  ): Promise<RelatedPerson[]> {
    return authenticated(context).loaders.allByPatient(RelatedPerson, 'createdAt').load(patient.id);
  }

  @FieldResolver(() => C.AppointmentConnection, {
    nullable: true,
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

  @FieldResolver(() => C.EncounterConnection, { nullable: true })
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
    nullable: true,
    description: 'Results and vital signs, newest first.',
  })
  observations(
    @Root() patient: Patient,
    @Args(() => ObservationListArgs) args: ObservationListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.category ? { sql: 't.category = ?', params: [args.category] } : undefined;
    return this.sensitivePage(
      context,
      patient,
      `observations:${args.category ?? '*'}`,
      { entity: Observation, orderBy: 'effectiveAt', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.ConditionConnection, { nullable: true })
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
    return this.sensitivePage(
      context,
      patient,
      `conditions:${!!args.activeOnly}`,
      { entity: Condition, orderBy: 'recordedAt', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.MedicationStatementConnection, {
    nullable: true,
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
    nullable: true,
    description: 'Prescriptions and medication orders.',
  })
  medicationRequests(
    @Root() patient: Patient,
    @Args(() => ActiveListArgs) args: ActiveListArgs,
    @Ctx() context: RequestContext,
  ) {
    const where = args.activeOnly ? statusIn(['active', 'on-hold']) : undefined;
    return this.sensitivePage(
      context,
      patient,
      `medicationRequests:${!!args.activeOnly}`,
      { entity: MedicationRequest, orderBy: 'authoredOn', direction: 'desc', where },
      args,
    );
  }

  @FieldResolver(() => C.AllergyIntoleranceConnection, { nullable: true })
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

  @FieldResolver(() => C.ImmunizationConnection, { nullable: true })
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

  @FieldResolver(() => C.CoverageConnection, { nullable: true })
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

  @FieldResolver(() => C.CarePlanConnection, { nullable: true })
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

  @FieldResolver(() => C.TaskConnection, { nullable: true })
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

  @FieldResolver(() => C.CommunicationConnection, { nullable: true })
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

  @FieldResolver(() => C.ConsentConnection, { nullable: true })
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
    nullable: true,
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
