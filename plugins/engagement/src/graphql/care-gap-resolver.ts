import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isEntityId } from '@caregraph/schema';
import { PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import { scheduleCareGapSweep } from '../care-gaps/care-gap-job.js';
import { CareGapRecord } from '../care-gaps/care-gap-record.js';
import type { EngagementConfig } from '../config.js';

/** A patient's open care gaps, under core's rules for their clinical data (audited by core). */
@Resolver(() => CareGapRecord)
export class CareGapResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => [CareGapRecord], {
    description:
      "A patient's open care gaps (preventive care or checks that are due), oldest first.",
  })
  async careGaps(
    @Arg('patientId', () => ID) patientId: string,
    @Ctx() request: unknown,
  ): Promise<CareGapRecord[]> {
    if (!isEntityId(patientId))
      throw PluginRequestError.badInput(['patientId'], 'must be an id returned by this API');
    const scope = this.plugin.asCaller(request);
    return scope.em
      .fork()
      .find(
        CareGapRecord,
        { patientId, status: 'open' },
        { orderBy: { openedAt: 'asc', gapKey: 'asc' } },
      );
  }

  @Mutation(() => Boolean, {
    description:
      'Queues the care-gap sweep now (e.g. after an import) instead of at its next run; true once queued.',
  })
  async runCareGapSweep(@Ctx() request: unknown): Promise<boolean> {
    // Resolves the caller (UNAUTHENTICATED without one); the sweep runs as the plugin's account.
    this.plugin.asCaller(request);
    if (!this.plugin.config.careGaps.enabled)
      throw new PluginRequestError(
        'CONFLICT',
        'The care-gap sweep is not enabled (careGaps.enabled).',
      );
    await scheduleCareGapSweep(this.plugin, new Date());
    return true;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The gap rule's title (staff-facing), when the rule is still configured.",
  })
  title(@Root() gap: CareGapRecord): string | undefined {
    return this.plugin.config.careGaps.rules.find((rule) => rule.key === gap.gapKey)?.title;
  }
}
