import { ArgsType, Field, Int } from 'type-graphql';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any arguments
type ArgsClass = new (...args: any[]) => object;

/**
 * Adds the Relay page arguments of the adapter's lists (`first`, `after`; see
 * `newestFirstPage`) to the arguments class of a list.
 */
export function Paged<TBase extends ArgsClass>(Base: TBase) {
  @ArgsType()
  class PagedArgs extends Base {
    @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
    first?: number;

    @Field(() => String, {
      nullable: true,
      description: 'Cursor of the last edge of the previous page.',
    })
    after?: string;
  }
  return PagedArgs;
}
