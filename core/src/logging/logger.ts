import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths redacted from every log line. Logs carry ids and codes, never PHI; this is the second
 * wall for anything that slips through (variables of a GraphQL request, a patient object…).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'variables',
  '*.variables',
  'input',
  '*.input',
  'patient',
  '*.patient',
  'names',
  '*.names',
  'birthDate',
  '*.birthDate',
  'telecom',
  '*.telecom',
  'address',
  '*.address',
  'identifiers',
  '*.identifiers',
  'ssn',
  '*.ssn',
  'body',
  '*.body',
];

/**
 * Creates the root logger: JSON lines on stdout (or `destination`: CLI commands log on stderr,
 * their output is on stdout) with PHI paths redacted.
 */
export function createLogger(
  options: { level?: LoggerOptions['level']; name?: string; destination?: DestinationStream } = {},
): Logger {
  const settings: LoggerOptions = {
    name: options.name ?? 'caregraph',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** What is known about the request being served, wherever the code runs within it. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` inside a request scope (request id and child logger). */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return requestScope.run(scope, fn);
}

/** The current request's scope, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return requestScope.getStore();
}

/** The current request's child logger, or `fallback` outside a request. */
export function currentLogger(fallback: Logger): Logger {
  return requestScope.getStore()?.logger ?? fallback;
}
