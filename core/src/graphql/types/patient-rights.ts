import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A short-lived, single-use export of a patient's data as a FHIR R4 Bundle. */
@ObjectType({
  description:
    'GET `url` (same origin as /graphql) with the same bearer token, once, before `expiresAt`: the response is a FHIR R4 Bundle (type collection, application/fhir+json), streamed.',
})
export class PatientExport {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Path of the download, e.g. /fhir/exports/<id>.' })
  url!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Int, {
    description:
      "Resources of the patient's own counted now; the Bundle also holds the Practitioners they refer to.",
  })
  resourceCount!: number;
}

/** The result of an erasure: the patient row is left as a tombstone. */
@ObjectType()
export class PatientErasure {
  @Field(() => ID)
  patientId!: string;

  @Field(() => Date)
  erasedAt!: Date;

  @Field(() => Int, { description: 'Rows deleted (records, identifiers, accounts, provenance).' })
  deletedRecords!: number;

  @Field(() => Int, { description: 'Records merged into this one earlier, erased with it.' })
  mergedRecordsErased!: number;
}
