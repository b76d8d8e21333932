import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

/** Relay PageInfo. */
@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor?: string;

  @Field(() => String, { nullable: true })
  endCursor?: string;
}

/** One page of a Relay connection, before it is shaped into GraphQL types. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** The GraphQL shape of a connection of `T`. */
export interface ConnectionShape<T> extends Page<T> {
  totalCount?: number;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` object types for a node type, following the
 * Relay connection specification.
 */
export function connectionOf<T extends object>(
  node: ClassType<T>,
  name = node.name,
): ClassType<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, {
      nullable: true,
      description: 'Total number of nodes, when cheap to compute.',
    })
    totalCount?: number;
  }
  return Connection as ClassType<ConnectionShape<T>>;
}
