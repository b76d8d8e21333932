import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { connectionOf, isEntityId, Practitioner } from '@caregraph/schema';
import {
  keysetPage,
  Paged,
  PluginRequestError,
  type PluginContext,
  type TenantScope,
} from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { ClinicalDocument } from './clinical-document.js';
import { documentAuthor } from './document-authors.js';

const ClinicalDocumentConnection = connectionOf(ClinicalDocument);

/** What `content` holds: the OBX text values, decoded (attachments are not stored). */
const CONTENT_TYPE = 'text/plain';

@ArgsType()
class PatientArgs {
  @Field(() => ID)
  patientId!: string;
}

@ArgsType()
class DocumentPageArgs extends Paged(PatientArgs) {}

/**
 * Clinical documents over GraphQL, under core's rules for clinical data: the caller needs a role
 * that grants clinical reads for the request's purpose of use **and** a care relationship with
 * the patient (care team, self, proxy, or an active break-the-glass session). Each decision,
 * refusals included, goes into the operation's access audit (one `patient.read` row per patient,
 * written before the response leaves). Documents whose security labels core withholds from the
 * caller (`scope.withheldLabels`: restricted R/V without the `sensitiveClinical` grant, a
 * sensitive category the patient's consents keep from them) are left out in the query, as core
 * leaves out its own labelled records (redaction by omission): not listed, and `null` by id. A
 * document's text is decrypted only once its read is allowed: the list is authorised before any
 * row is loaded, one document by id is located without its text first.
 */
@Resolver(() => ClinicalDocument)
export class ClinicalDocumentResolver {
  constructor(private readonly plugin: PluginContext<Hl7v2Config>) {}

  @Query(() => ClinicalDocumentConnection, {
    description:
      "A patient's clinical documents received over HL7 v2 (MDM), newest first (authored time, else when first received).",
  })
  async clinicalDocuments(@Args() args: DocumentPageArgs, @Ctx() request: unknown) {
    // Core checks ID arguments, but not the fields of an @ArgsType class.
    if (!isEntityId(args.patientId))
      throw PluginRequestError.badInput(['patientId'], 'must be an id returned by this API');
    const scope = this.plugin.asCaller(request);
    // The shield rule took this decision already; asking again costs nothing (memoised).
    await requireClinicalRead(scope, args.patientId);
    const withheld = await scope.withheldLabels(args.patientId);
    const where: FilterQuery<ClinicalDocument> = withheld.length
      ? { patientId: args.patientId, $not: { securityLabels: { $hasSomeKeys: withheld } } }
      : { patientId: args.patientId };
    return keysetPage(scope, ClinicalDocument, 'listedAt', where, args);
  }

  @Query(() => ClinicalDocument, { nullable: true })
  async clinicalDocument(
    @Arg('id', () => ID) id: string,
    @Ctx() request: unknown,
  ): Promise<ClinicalDocument | null> {
    const scope = this.plugin.asCaller(request);
    const located = await scope.em
      .fork()
      .findOne(ClinicalDocument, id, { fields: ['patientId', 'securityLabels'] });
    if (!located) return null;
    await requireClinicalRead(scope, located.patientId);
    // A document withheld from the caller is answered as one that does not exist.
    const withheld = await scope.withheldLabels(located.patientId);
    if (located.securityLabels.some((label) => withheld.includes(label))) return null;
    return scope.em.fork().findOneOrFail(ClinicalDocument, id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The document type as the sender names it (TXA-2 text, else its code).',
  })
  title(@Root() document: ClinicalDocument): string | undefined {
    return document.type.display ?? document.type.code;
  }

  @FieldResolver(() => String, { description: 'The media type of `content`.' })
  contentType(): string {
    return CONTENT_TYPE;
  }

  @FieldResolver(() => Practitioner, {
    nullable: true,
    description: 'Who wrote it (TXA-9, else TXA-5), when the practitioner is known.',
  })
  async author(
    @Root() document: ClinicalDocument,
    @Ctx() request: object,
  ): Promise<Practitioner | null> {
    if (!document.authorId) return null;
    return documentAuthor(request, this.plugin.asCaller(request), document.authorId);
  }
}

/** FORBIDDEN unless the caller may read the patient's clinical data (recorded for the audit). */
async function requireClinicalRead(scope: TenantScope, patientId: string): Promise<void> {
  if (!(await scope.mayRead(patientId, 'clinical')))
    throw new PluginRequestError('FORBIDDEN', 'You are not allowed to do this.');
}
