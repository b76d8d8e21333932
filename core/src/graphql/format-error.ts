import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { PluginRequestError } from '@caregraph/plugin-sdk';
import { ArgumentValidationError } from 'type-graphql';
import { CareGraphError, ConflictError, ErrorCode } from '../errors/caregraph-error.js';
import { currentLogger, currentRequestScope, type Logger } from '../logging/logger.js';

/** Apollo's own codes that are safe to pass through as they are. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/** The error a resolver (or anything below it) threw, beneath GraphQL's wrappers. */
function originalError(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/** What may be logged about an unexpected error: never a driver message (it can hold values). */
function loggableError(error: unknown): Record<string, unknown> {
  if (error instanceof DriverException) {
    const { code, sqlState, name } = error as DriverException & { sqlState?: string };
    return { name, code, sqlState };
  }
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack };
  return { value: typeof error };
}

/**
 * Shapes every GraphQL error: CareGraph errors keep their code and safe message; bad input is
 * BAD_USER_INPUT with field paths; anything else becomes INTERNAL_SERVER_ERROR with the request
 * id, and the original is logged (without PHI) under that id.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const requestId = currentRequestScope()?.requestId;
    let error = originalError(raw);
    if (error instanceof UniqueConstraintViolationException) {
      error = ConflictError.because('A record with the same unique value already exists.');
    }
    if (error instanceof CareGraphError || error instanceof PluginRequestError) {
      return {
        message: error.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: error.code, ...error.details, ...(requestId ? { requestId } : {}) },
      };
    }
    if (error instanceof ArgumentValidationError) {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    const code = formatted.extensions?.code;
    const fromResolver = raw instanceof GraphQLError && raw.path !== undefined;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code) && !fromResolver) {
      return { ...formatted, extensions: { ...formatted.extensions, stacktrace: undefined } };
    }
    currentLogger(logger).error(
      { err: loggableError(error), requestId, path: formatted.path },
      'internal error',
    );
    return {
      message: `Internal server error. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
    };
  };
}
