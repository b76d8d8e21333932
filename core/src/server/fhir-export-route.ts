import express, { type Request, type Response, type Router } from 'express';
import type { ContextFactory } from '../context/context-factory.js';
import { authenticated } from '../context/authenticated.js';
import { CareGraphError } from '../errors/caregraph-error.js';
import { writePatientBundle, type BundleSink } from '../fhir/patient-bundle.js';
import { patientDataOf } from '../plugins/plugin-patient-data.js';
import { currentLogger, currentRequestScope, type Logger } from '../logging/logger.js';
import type { RateLimitRefusal, RequestRateLimiter } from './rate-limit.js';
import {
  EXPORT_DOWNLOAD_PATH,
  claimPatientExport,
  type ExportClaimFailure,
} from '../services/rights/export-service.js';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Answers with a FHIR OperationOutcome (no PHI, no detail about other users' exports). */
function outcome(res: Response, status: number, code: string, text: string): void {
  res
    .status(status)
    .type(FHIR_JSON)
    .set('cache-control', 'no-store')
    .send(
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code, diagnostics: text }],
      }),
    );
}

/** Over the caller's request budget (shared with /graphql). */
const throttled: RateLimitRefusal = (res, error) => outcome(res, 429, 'throttled', error.message);

const FAILURES: Record<ExportClaimFailure, [number, string, string]> = {
  'not-found': [404, 'not-found', 'No such export for this user.'],
  gone: [410, 'expired', 'This export link was used already or has expired; request a new one.'],
  forbidden: [403, 'forbidden', 'You are not allowed to export this patient.'],
};

/** Writes to the response, waiting for `drain` when its buffer is full; fails if the client left. */
function responseSink(res: Response): BundleSink {
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      if (res.destroyed) return reject(new Error('client disconnected'));
      if (res.write(chunk)) return resolve();
      const done = (error?: Error) => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('client disconnected'));
      res.on('drain', onDrain);
      res.on('close', onClose);
    });
}

/**
 * `GET /fhir/exports/:id`: streams the FHIR Bundle of an export created by `exportPatientData`.
 * Same bearer token as GraphQL (the same user, so the same tenant), once, before it expires.
 * Each request spends from the caller's rate-limit budget first, as on /graphql. The download is
 * claimed and audited before the first byte of PHI is sent.
 */
export function fhirExportRouter(
  contexts: ContextFactory,
  logger: Logger,
  rateLimiter?: RequestRateLimiter,
): Router {
  const router = express.Router();
  const limit = rateLimiter ? [rateLimiter.middleware(throttled)] : [];
  router.get(`${EXPORT_DOWNLOAD_PATH}/:id`, ...limit, async (req: Request, res: Response) => {
    const log = currentLogger(logger);
    let ctx;
    try {
      const context = await contexts.create({
        authorization: req.header('authorization'),
        purposeOfUse: req.header('x-purpose-of-use'),
        requestId: currentRequestScope()?.requestId,
        clientAddress: req.ip,
      });
      if (!context.actor) return outcome(res, 401, 'login', 'Authentication required.');
      ctx = authenticated(context);
    } catch (error) {
      if (error instanceof CareGraphError && error.code === 'UNAUTHENTICATED')
        return outcome(res, 401, 'login', error.message);
      if (error instanceof CareGraphError) return outcome(res, 400, 'invalid', error.message);
      throw error;
    }
    const exportId = String(req.params.id);
    const claim = await claimPatientExport(ctx, exportId);
    if ('failure' in claim) return outcome(res, ...FAILURES[claim.failure]);
    res.status(200).type(FHIR_JSON);
    res.set('cache-control', 'no-store');
    res.set('content-disposition', `attachment; filename="patient-export-${exportId}.json"`);
    const fullUrlBase = `${req.protocol}://${req.get('host')}/fhir`;
    try {
      const resources = await writePatientBundle(
        ctx.em,
        {
          tenantId: ctx.tenantId,
          patientId: claim.patientId,
          bundleId: exportId,
          fullUrlBase,
          pluginResources: (patientIds, practitioner) =>
            patientDataOf(ctx).exportResources(ctx, ctx.em, patientIds, practitioner),
        },
        responseSink(res),
      );
      res.end();
      log.info({ exportId, resources }, 'patient export streamed');
    } catch (error) {
      // Headers are gone: cut the connection so the client sees a truncated (invalid) Bundle.
      log.error({ exportId, err: { message: (error as Error).message } }, 'patient export failed');
      res.destroy();
    }
  });
  return router;
}
