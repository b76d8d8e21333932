import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import { populationCounts } from '../../services/population-service.js';

/** One group of a de-identified count. */
@ObjectType()
export class AggregateBucket {
  @Field(() => String)
  key!: string;

  @Field(() => String, { nullable: true })
  label?: string;

  @Field(() => Int, { nullable: true, description: 'Null when suppressed (small cell).' })
  count?: number;

  @Field(() => Boolean)
  suppressed!: boolean;
}

/** De-identified counts of the tenant's active patients. */
@ObjectType()
export class PopulationSummary {
  @Field(() => Int, { nullable: true, description: 'Null when suppressed (small cell).' })
  patientCount?: number;

  @Field(() => Int, { description: 'Counts below this are suppressed.' })
  minCellSize!: number;

  @Field(() => [AggregateBucket])
  genders!: AggregateBucket[];

  @Field(() => [AggregateBucket])
  ageBands!: AggregateBucket[];

  @Field(() => [AggregateBucket], {
    description: 'Most frequent active conditions (sensitive ones left out).',
  })
  conditions!: AggregateBucket[];
}

/** De-identified aggregates for analysts: never an identifier or a row. */
@Resolver()
export class PopulationResolver {
  @Query(() => PopulationSummary, {
    description: 'De-identified counts (analyst role; purpose HRESCH or HOPERAT).',
  })
  populationSummary(@Ctx() context: RequestContext): Promise<PopulationSummary> {
    return populationCounts(authenticated(context));
  }
}
