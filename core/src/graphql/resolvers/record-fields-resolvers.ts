import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import {
  AllergyIntolerance,
  Appointment,
  BreakGlassSession,
  CarePlan,
  CarePlanActivity,
  CarePlanGoal,
  CareTeam,
  CareTeamMember,
  Communication,
  Condition,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Practitioner,
  RelatedPerson,
  Task,
  User,
} from '@caregraph/schema';
import type { EntityClass } from '@mikro-orm/core';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import { proxyPatients } from '../../security/relationship-queries.js';

type Ref = { id: string } | undefined | null;

function loadRef<T extends { id: string }>(
  context: RequestContext,
  entity: EntityClass<T>,
  ref: Ref,
): Promise<T | undefined> {
  return ref
    ? authenticated(context).loaders.byId(entity).load(ref.id)
    : Promise.resolve(undefined);
}

/** Declares `<Type>.patient`, resolved through the per-request patient loader. */
function patientField<T extends { patient: Patient }>(type: ClassType<T>): ClassType {
  @Resolver(() => type)
  class PatientOfRecordResolver {
    @FieldResolver(() => Patient)
    patient(@Root() record: T, @Ctx() context: RequestContext) {
      return loadRef(context, Patient, record.patient);
    }
  }
  Object.defineProperty(PatientOfRecordResolver, 'name', { value: `${type.name}PatientResolver` });
  return PatientOfRecordResolver;
}

/** `patient` on every patient-owned type. */
export const PATIENT_FIELD_RESOLVERS = [
  AllergyIntolerance,
  Appointment,
  BreakGlassSession,
  CarePlan,
  Communication,
  Condition,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  RelatedPerson,
  Task,
].map((type) => patientField(type as ClassType<{ patient: Patient }>));

@Resolver(() => Appointment)
export class AppointmentFieldsResolver {
  @FieldResolver(() => Practitioner, { nullable: true })
  practitioner(@Root() appointment: Appointment, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, appointment.practitioner);
  }
}

@Resolver(() => Encounter)
export class EncounterFieldsResolver {
  @FieldResolver(() => Practitioner, { nullable: true })
  attending(@Root() encounter: Encounter, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, encounter.attending);
  }
}

@Resolver(() => Task)
export class TaskFieldsResolver {
  @FieldResolver(() => Practitioner, { nullable: true })
  owner(@Root() task: Task, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, task.owner);
  }

  @FieldResolver(() => CareTeam, { nullable: true })
  ownerTeam(@Root() task: Task, @Ctx() context: RequestContext) {
    return loadRef(context, CareTeam, task.ownerTeam);
  }
}

@Resolver(() => Consent)
export class ConsentFieldsResolver {
  @FieldResolver(() => RelatedPerson, {
    nullable: true,
    description: 'Related person granted proxy access.',
  })
  grantee(@Root() consent: Consent, @Ctx() context: RequestContext) {
    return loadRef(context, RelatedPerson, consent.grantee);
  }
}

@Resolver(() => MedicationRequest)
export class MedicationRequestFieldsResolver {
  @FieldResolver(() => Practitioner, { nullable: true })
  requester(@Root() request: MedicationRequest, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, request.requester);
  }
}

@Resolver(() => CarePlan)
export class CarePlanFieldsResolver {
  @FieldResolver(() => [CarePlanGoal])
  goals(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return authenticated(context).em.find(
      CarePlanGoal,
      { carePlan: plan.id },
      { orderBy: { createdAt: 'asc' } },
    );
  }

  @FieldResolver(() => [CarePlanActivity])
  activities(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return authenticated(context).em.find(
      CarePlanActivity,
      { carePlan: plan.id },
      { orderBy: { createdAt: 'asc' } },
    );
  }

  @FieldResolver(() => Practitioner, { nullable: true })
  author(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, plan.author);
  }
}

@Resolver(() => CareTeam)
export class CareTeamFieldsResolver {
  @FieldResolver(() => [CareTeamMember], {
    description: 'Current and past members (see `active`).',
  })
  members(@Root() team: CareTeam, @Ctx() context: RequestContext) {
    return authenticated(context).loaders.membersOfCareTeam().load(team.id);
  }
}

@Resolver(() => CareTeamMember)
export class CareTeamMemberFieldsResolver {
  @FieldResolver(() => Practitioner)
  practitioner(@Root() member: CareTeamMember, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, member.practitioner);
  }

  @FieldResolver(() => CareTeam)
  careTeam(@Root() member: CareTeamMember, @Ctx() context: RequestContext) {
    return loadRef(context, CareTeam, member.careTeam);
  }
}

@Resolver(() => User)
export class UserFieldsResolver {
  @FieldResolver(() => Practitioner, { nullable: true })
  practitioner(@Root() user: User, @Ctx() context: RequestContext) {
    return loadRef(context, Practitioner, user.practitioner);
  }

  @FieldResolver(() => Patient, { nullable: true })
  patient(@Root() user: User, @Ctx() context: RequestContext) {
    return loadRef(context, Patient, user.patient);
  }

  @FieldResolver(() => [Patient], {
    description: 'For a related person: the patients whose active proxy consent names them.',
  })
  async proxyFor(@Root() user: User, @Ctx() context: RequestContext): Promise<Patient[]> {
    if (!user.relatedPerson) return [];
    const ctx = authenticated(context);
    const ids = await proxyPatients(
      ctx.em,
      ctx.tenantId,
      user.relatedPerson.id,
      undefined,
      ctx.access.now,
    );
    const patients = await Promise.all([...ids].map((id) => ctx.loaders.byId(Patient).load(id)));
    return patients.filter((patient): patient is Patient => !!patient);
  }
}
