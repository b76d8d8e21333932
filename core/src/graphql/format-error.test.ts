import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { DriverException } from '@mikro-orm/core';
import { runInRequestScope, REDACTED_PATHS } from '../logging/logger.js';
import { ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import { createErrorFormatter } from './format-error.js';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ redact: REDACTED_PATHS }, stream), lines };
}

const formatted = {
  message: 'raw',
  path: ['patient'],
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
};

describe('error formatting', () => {
  it('keeps CareGraph codes and safe messages', () => {
    const { logger } = capturingLogger();
    const format = createErrorFormatter(logger);
    const error = new GraphQLError('x', { originalError: NotFoundError.record('Patient', 'p1') });
    expect(format(formatted, error)).toMatchObject({
      message: 'Patient p1 was not found.',
      extensions: { code: 'NOT_FOUND', type: 'Patient', id: 'p1' },
    });
    const conflict = new GraphQLError('x', {
      originalError: ConflictError.because('Taken.', { path: ['input', 'start'] }),
    });
    expect(format(formatted, conflict).extensions).toMatchObject({
      code: 'CONFLICT',
      path: ['input', 'start'],
    });
  });

  it('masks a database error, quotes the request id, and logs it without the SQL or values', () => {
    const { logger, lines } = capturingLogger();
    const format = createErrorFormatter(logger);
    const driverError = new DriverException(
      Object.assign(new Error("insert into patient values ('Ana López', '123-45-6789')"), {
        code: '23502',
      }),
    );
    const result = runInRequestScope({ requestId: 'req-12345678', logger }, () =>
      format(formatted, new GraphQLError('x', { originalError: driverError })),
    );
    expect(result).toMatchObject({
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-12345678' },
    });
    expect(result.message).toContain('req-12345678');
    expect(result.message).not.toContain('López');
    const log = lines.join('');
    expect(log).toContain('req-12345678');
    expect(log).not.toContain('López');
    expect(log).not.toContain('123-45-6789');
  });

  it('passes GraphQL validation errors through with their code', () => {
    const { logger } = capturingLogger();
    const format = createErrorFormatter(logger);
    const validation = {
      message: 'Cannot query field "x" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(format(validation, new GraphQLError(validation.message))).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
