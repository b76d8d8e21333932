import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { CareGraphConfig } from '../config/config-schema.js';

/** Limits every GraphQL operation must stay within, over HTTP and WebSocket alike. */
export interface OperationLimits {
  /** Deepest field nesting. */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Lexical tokens in one document (checked while parsing). */
  maxTokens: number;
  /** Static cost (graphql-armor cost model: objects 2, scalars 1, x1.5 per level, x`first`). */
  maxCost: number;
  /** Strip "Did you mean ...?" schema suggestions from validation errors. */
  hideSuggestions: boolean;
}

/** The operation limits of a configuration. */
export function operationLimits(config: CareGraphConfig): OperationLimits {
  return {
    maxDepth: config.graphqlMaxDepth,
    maxAliases: config.graphqlMaxAliases,
    maxDirectives: config.graphqlMaxDirectives,
    maxTokens: config.graphqlMaxTokens,
    maxCost: config.graphqlMaxCost,
    hideSuggestions: config.nodeEnv === 'production',
  };
}

const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';

/**
 * graphql-armor reports "Syntax Error: Query depth limit of 12 exceeded, found 50."; this
 * reports "Query depth 50 exceeds the maximum of 12." through the validation context, so the
 * client gets a validation error (HTTP 400) instead of an exception out of `validate`.
 */
function reportAs(what: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const match = /limit of (\d+) exceeded, found (\d+)/i.exec(error.message);
    const message = match
      ? `${what} ${match[2]} exceeds the maximum of ${match[1]}.`
      : `${what} exceeds its limit.`;
    context?.reportError(new GraphQLError(message, { extensions: { code: VALIDATION_FAILED } }));
  };
}

/** The validation rules that enforce the limits (added to graphql's specified rules). */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false };
  return [
    maxDepthRule({ ...common, n: limits.maxDepth, onReject: [reportAs('Query depth')] }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [reportAs('Alias count')] }),
    maxDirectivesRule({
      ...common,
      n: limits.maxDirectives,
      onReject: [reportAs('Directive count')],
    }),
    costLimitRule({ ...common, maxCost: limits.maxCost, onReject: [reportAs('Query cost')] }),
  ] as ValidationRule[];
}

/** Removes schema suggestions ("Did you mean ...?") from an error message. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, '');
}

/**
 * Parses (with the token limit) and validates an operation against the schema, graphql's
 * specified rules and the limits; for paths that do not run Apollo's pipeline (graphql-ws).
 */
export function parseAndValidateOperation(
  schema: GraphQLSchema,
  query: string,
  limits: OperationLimits,
):
  | { document: DocumentNode; errors?: undefined }
  | { document?: undefined; errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : 'The query cannot be parsed.';
    return {
      errors: [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })],
    };
  }
  const errors = validate(schema, document, [...specifiedRules, ...operationLimitRules(limits)]);
  if (!errors.length) return { document };
  return {
    errors: errors.map(
      (error) =>
        new GraphQLError(
          limits.hideSuggestions ? withoutSuggestions(error.message) : error.message,
          {
            nodes: error.nodes,
            extensions: { code: VALIDATION_FAILED },
          },
        ),
    ),
  };
}
