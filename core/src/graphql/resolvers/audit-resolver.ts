import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { AuditEvent, Patient, User } from '@caregraph/schema';
import { toFhirAuditBundle, toFhirAuditEvent } from '../../audit/fhir-audit-event.js';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import { listAuditEvents } from '../../services/audit-query-service.js';
import { AccessLogEntry, AccessLogEntryConnection } from '../types/access-log.js';
import type { ConnectionShape } from '../types/connection.js';
import { PageArgs } from '../types/pagination.js';
import { AuditEventsArgs } from '../types/audit-events-args.js';

/** Audit exports for the privacy office, and a patient's own access log. */
@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => GraphQLJSONObject, {
    description:
      'Audit events as a FHIR R4 Bundle of AuditEvent resources (same filters as auditEvents).',
  })
  async auditEventBundle(
    @Args(() => AuditEventsArgs) args: AuditEventsArgs,
    @Ctx() context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const page = await listAuditEvents(authenticated(context), args, args);
    return toFhirAuditBundle(page.edges.map((edge) => edge.node));
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'This event as a FHIR R4 AuditEvent.' })
  fhir(@Root() event: AuditEvent): Record<string, unknown> {
    return toFhirAuditEvent(event);
  }
}

/** `Patient.accessLog`: every audited access to the record, newest first. */
@Resolver(() => Patient)
export class PatientAccessLogResolver {
  @FieldResolver(() => AccessLogEntryConnection, {
    nullable: true,
    description: 'Who accessed this record (accounting of disclosures), newest first.',
  })
  async accessLog(
    @Root() patient: Patient,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<ConnectionShape<AccessLogEntry>> {
    const ctx = authenticated(context);
    const page = await listAuditEvents(ctx, { patientId: patient.id }, args);
    const users = await Promise.all(
      page.edges.map((edge) =>
        edge.node.actorUserId ? ctx.loaders.byId(User).load(edge.node.actorUserId) : undefined,
      ),
    );
    return {
      pageInfo: page.pageInfo,
      edges: page.edges.map((edge, index) => {
        const row = edge.node;
        const categories = row.detail.categories;
        return {
          cursor: edge.cursor,
          node: {
            recordedAt: row.recordedAt,
            accessedBy: users[index]?.displayName ?? 'CareGraph',
            roles: [...row.actorRoles],
            purposeOfUse: row.purposeOfUse,
            action: row.action,
            type: row.type,
            categories: Array.isArray(categories) ? (categories as string[]) : [],
            emergency:
              row.purposeOfUse === 'ETREAT' || Array.isArray(row.detail.breakGlassSessionIds),
          },
        };
      }),
    };
  }
}
