import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context/request-context.js';
import type { Logger } from '../logging/logger.js';
import { accessAuditDrafts } from './access-audit.js';
import type { AuditWriter } from './audit-writer.js';

/**
 * Writes the access audit of every HTTP operation before its response leaves: one row per
 * patient read or refused. If the rows cannot be written the response is replaced by an
 * INTERNAL_SERVER_ERROR: PHI is never disclosed without its audit trail (fail closed).
 */
export function accessAuditPlugin(
  writer: AuditWriter,
  logger: Logger,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          const reads = contextValue.access?.drainReads() ?? [];
          if (reads.length === 0 || !contextValue.tenantId) return;
          try {
            await writer.append(
              contextValue.tenantId,
              accessAuditDrafts(contextValue, reads, { channel: 'http', operationName }),
            );
          } catch (error) {
            logger.error(
              { err: { name: (error as Error).name }, requestId: contextValue.requestId },
              'access audit could not be written; response withheld',
            );
            response.http.status = 500;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  {
                    message: 'Internal server error.',
                    extensions: {
                      code: 'INTERNAL_SERVER_ERROR',
                      requestId: contextValue.requestId,
                    },
                  },
                ],
              },
            };
          }
        },
      };
    },
  };
}
