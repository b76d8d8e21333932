import type { EntityManager } from '@mikro-orm/sql';
import {
  CommunicationChannel,
  Consent,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
  ConsentStatus,
  isEntityId,
} from '@caregraph/schema';
import {
  Arg,
  Ctx,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';

/** How the plugin marks opt-outs staff recorded over GraphQL (`Consent.source`). */
export const STAFF_SOURCE = 'staff';

/** What an opt-out covers unless the staff member names purposes: every outreach purpose. */
const OUTREACH_PURPOSES = [
  ConsentPurpose.CARE_REMINDERS,
  ConsentPurpose.WELLNESS,
  ConsentPurpose.MARKETING,
] as const;

/** One denial in force: the patient's, or a caregiver's or proxy's own. */
@ObjectType({ description: 'A communication denial in force (an opt-out), from any source.' })
export class EngagementOptOut {
  @Field(() => ID)
  consentId!: string;

  @Field(() => ID, { nullable: true, description: "Set when it is a caregiver's or proxy's own." })
  relatedPersonId?: string;

  @Field(() => CommunicationChannel, { nullable: true, description: 'None: every channel.' })
  channel?: CommunicationChannel;

  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field(() => String, { description: 'sms-keyword (STOP), staff, or how core recorded it.' })
  source!: string;

  @Field(() => Date, { description: 'In force since.' })
  since!: Date;
}

@InputType()
export class EngagementOptOutInput {
  @Field(() => ID)
  patientId!: string;

  @Field(() => CommunicationChannel)
  channel!: CommunicationChannel;

  @Field(() => [ConsentPurpose], {
    nullable: true,
    description: 'Default: care-reminders, wellness and marketing.',
  })
  purposes?: ConsentPurpose[];

  @Field(() => ID, { nullable: true, description: 'A caregiver or proxy choosing for themselves.' })
  relatedPersonId?: string;

  @Field(() => String, { nullable: true, description: 'Why (no clinical detail).' })
  reason?: string;
}

function view(consent: Consent): EngagementOptOut {
  return {
    consentId: consent.id,
    relatedPersonId: consent.grantee?.id,
    channel: consent.channel ?? undefined,
    purpose: consent.purpose,
    source: consent.source,
    since: consent.periodStart,
  };
}

function checked(input: EngagementOptOutInput) {
  if (!isEntityId(input.patientId))
    throw PluginRequestError.badInput(['input', 'patientId'], 'must be an id returned by this API');
  if (input.relatedPersonId != null && !isEntityId(input.relatedPersonId))
    throw PluginRequestError.badInput(
      ['input', 'relatedPersonId'],
      'must be an id returned by this API',
    );
  if (input.purposes && input.purposes.length === 0)
    throw PluginRequestError.badInput(['input', 'purposes'], 'name at least one, or leave it out');
  return {
    patientId: input.patientId,
    channel: input.channel,
    purposes: input.purposes ?? [...OUTREACH_PURPOSES],
    granteeRelatedPersonId: input.relatedPersonId ?? undefined,
    reason: input.reason ?? undefined,
  };
}

/**
 * Opt-outs over GraphQL: a patient's (and their caregivers') communication denials in force, and
 * staff recording or ending one, at once, through core's opt-out service under the caller's right
 * to write the patient's consents (audited there; `ConsentChanged`).
 */
@Resolver(() => EngagementOptOut)
export class EngagementOptOutResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => [EngagementOptOut], {
    description:
      "The patient's and their related persons' communication denials in force, newest first.",
  })
  async engagementOptOuts(
    @Arg('patientId', () => ID) patientId: string,
    @Ctx() request: unknown,
  ): Promise<EngagementOptOut[]> {
    if (!isEntityId(patientId))
      throw PluginRequestError.badInput(['patientId'], 'must be an id returned by this API');
    const em = this.plugin.asCaller(request).em.fork() as EntityManager;
    const now = new Date();
    const denials = await em.find(
      Consent,
      {
        patient: patientId,
        scope: ConsentScope.COMMUNICATION,
        decision: ConsentDecision.DENY,
        status: ConsentStatus.ACTIVE,
        revokedAt: null,
        periodStart: { $lte: now },
        $or: [{ periodEnd: null }, { periodEnd: { $gt: now } }],
      },
      { orderBy: { periodStart: 'desc' } },
    );
    return denials.map(view);
  }

  @Mutation(() => [EngagementOptOut], {
    description:
      'Records an opt-out the patient (or a caregiver) asked staff for, in force at once; returns the denials that now cover it.',
  })
  async recordEngagementOptOut(
    @Arg('input', () => EngagementOptOutInput) input: EngagementOptOutInput,
    @Ctx() request: unknown,
  ): Promise<EngagementOptOut[]> {
    const scope = this.plugin.asCaller(request);
    const consents = await scope.consents.recordOptOut({ ...checked(input), source: STAFF_SOURCE });
    return consents.map(view);
  }

  @Mutation(() => [EngagementOptOut], {
    description:
      'Ends the opt-outs of the channel and purposes (any source: STOP, staff, paper), in force at once; returns the ended ones.',
  })
  async revokeEngagementOptOut(
    @Arg('input', () => EngagementOptOutInput) input: EngagementOptOutInput,
    @Ctx() request: unknown,
  ): Promise<EngagementOptOut[]> {
    const scope = this.plugin.asCaller(request);
    const consents = await scope.consents.endOptOut(checked(input));
    return consents.map(view);
  }
}
