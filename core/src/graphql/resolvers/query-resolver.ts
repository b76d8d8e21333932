import { Args, ArgsType, Ctx, Field, ID, Query, Resolver, Arg } from 'type-graphql';
import {
  AppointmentStatus,
  CareTeam,
  Patient,
  PatientSearchInput,
  Practitioner,
  User,
} from '@caregraph/schema';
import type { FilterQuery } from '@mikro-orm/core';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import { NotFoundError } from '../../errors/caregraph-error.js';
import { listAppointments } from '../../services/appointment-service.js';
import { listAuditEvents } from '../../services/audit-query-service.js';
import {
  findPatientByIdentifier,
  getPatient,
  searchPatients,
} from '../../services/patient-service.js';
import {
  AppointmentConnection,
  AuditEventConnection,
  PatientConnection,
  PractitionerConnection,
} from '../types/connections.js';
import type { ConnectionShape } from '../types/connection.js';
import { decodeCursor, PageArgs, pageSize, toPage } from '../types/pagination.js';
import { AuditEventsArgs } from '../types/audit-events-args.js';

@ArgsType()
class AppointmentsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  patientId?: string;

  @Field(() => ID, { nullable: true })
  practitionerId?: string;

  @Field(() => Date, {
    nullable: true,
    description: 'Appointments starting at or after this time.',
  })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Appointments starting before this time.' })
  to?: Date;

  @Field(() => [AppointmentStatus], { nullable: true })
  status?: AppointmentStatus[];
}

@ArgsType()
class PractitionersArgs extends PageArgs {
  @Field(() => Boolean, {
    nullable: true,
    description: 'Include inactive practitioners (default false).',
  })
  includeInactive?: boolean;
}

/** Root queries of the core model. */
@Resolver()
export class QueryResolver {
  @Query(() => User, { description: 'The signed-in user.' })
  async me(@Ctx() context: RequestContext): Promise<User> {
    const ctx = authenticated(context);
    const user = await ctx.loaders.byId(User).load(ctx.actor.userId);
    if (!user) throw NotFoundError.record('User', ctx.actor.userId);
    return user;
  }

  @Query(() => Patient, { nullable: true })
  async patient(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Patient> {
    return getPatient(authenticated(context), id);
  }

  @Query(() => PatientConnection)
  async patients(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: RequestContext,
    @Arg('search', () => PatientSearchInput, { nullable: true }) search?: PatientSearchInput,
  ): Promise<ConnectionShape<Patient>> {
    return searchPatients(authenticated(context), search ?? {}, page);
  }

  @Query(() => Patient, { nullable: true })
  async patientByIdentifier(
    @Arg('value', () => String) value: string,
    @Arg('system', () => String) system: string,
    @Ctx() context: RequestContext,
  ): Promise<Patient | null> {
    return findPatientByIdentifier(authenticated(context), system, value);
  }

  @Query(() => PractitionerConnection)
  async practitioners(
    @Args(() => PractitionersArgs) args: PractitionersArgs,
    @Ctx() context: RequestContext,
  ): Promise<ConnectionShape<Practitioner>> {
    const ctx = authenticated(context);
    const size = pageSize(args.first);
    const cursor = decodeCursor(args.after);
    const where: FilterQuery<Practitioner> = {};
    if (!args.includeInactive) where.active = true;
    if (cursor) where.id = { $gt: cursor.id };
    const rows = await ctx.em.find(Practitioner, where, {
      orderBy: { id: 'asc' },
      limit: size + 1,
    });
    return toPage(rows, size, (p) => ({ sort: 0, id: p.id }), cursor !== undefined);
  }

  @Query(() => CareTeam, { nullable: true })
  async careTeam(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<CareTeam> {
    const team = await authenticated(context).loaders.byId(CareTeam).load(id);
    if (!team) throw NotFoundError.record('CareTeam', id);
    return team;
  }

  @Query(() => [CareTeam], { description: 'Every care team of the tenant.' })
  async careTeams(@Ctx() context: RequestContext): Promise<CareTeam[]> {
    return authenticated(context).em.find(CareTeam, {}, { orderBy: { name: 'asc' } });
  }

  @Query(() => AppointmentConnection)
  async appointments(
    @Args(() => AppointmentsArgs) args: AppointmentsArgs,
    @Ctx() context: RequestContext,
  ): Promise<ConnectionShape<unknown>> {
    return listAppointments(authenticated(context), { ...args, statuses: args.status }, args);
  }

  @Query(() => AuditEventConnection)
  async auditEvents(
    @Args(() => AuditEventsArgs) args: AuditEventsArgs,
    @Ctx() context: RequestContext,
  ): Promise<ConnectionShape<unknown>> {
    return listAuditEvents(authenticated(context), args, args);
  }
}
