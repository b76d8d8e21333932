import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { LegalHold } from '@caregraph/schema';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import { erasePatient } from '../../services/rights/erasure-service.js';
import { createPatientExport } from '../../services/rights/export-service.js';
import {
  listLegalHolds,
  placeLegalHold,
  releaseLegalHold,
} from '../../services/rights/legal-hold-service.js';
import { PatientErasure, PatientExport } from '../types/patient-rights.js';

/** Patient rights (GDPR, HIPAA): access and portability, erasure, legal holds. */
@Resolver()
export class PatientRightsResolver {
  @Mutation(() => PatientExport, {
    description:
      'Right of access and portability: a single-use link to everything held about the patient as a FHIR R4 Bundle. Audited.',
  })
  exportPatientData(@Arg('patientId', () => ID) patientId: string, @Ctx() ctx: RequestContext) {
    return createPatientExport(authenticated(ctx), patientId);
  }

  @Mutation(() => PatientErasure, {
    description:
      'Right to erasure: deletes every record about the patient and leaves a tombstone. Refused (CONFLICT, extensions.reason LEGAL_HOLD or RETENTION_PERIOD with erasableFrom) where the law requires keeping the records. Audited.',
  })
  erasePatient(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('reason', () => String, {
      description: 'Why (kept with the tombstone, not in the audit log).',
    })
    reason: string,
    @Ctx() ctx: RequestContext,
  ) {
    return erasePatient(authenticated(ctx), patientId, reason);
  }

  @Mutation(() => LegalHold, { description: 'Blocks erasure of the patient until released.' })
  placeLegalHold(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RequestContext,
  ) {
    return placeLegalHold(authenticated(ctx), patientId, reason);
  }

  @Mutation(() => LegalHold)
  releaseLegalHold(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    return releaseLegalHold(authenticated(ctx), id, reason);
  }

  @Query(() => [LegalHold], { description: "A patient's legal holds, newest first." })
  legalHolds(
    @Arg('patientId', () => ID) patientId: string,
    @Ctx() ctx: RequestContext,
    @Arg('includeReleased', () => Boolean, { nullable: true }) includeReleased?: boolean,
  ) {
    return listLegalHolds(authenticated(ctx), patientId, includeReleased ?? false);
  }
}
