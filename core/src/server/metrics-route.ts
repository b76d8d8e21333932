import { safeEqual } from '@caregraph/plugin-sdk';
import express, { type Request, type Response, type Router } from 'express';
import type { HubMetrics } from '../metrics/hub-metrics.js';

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
function bearerMatches(req: Request, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
  return !!match && safeEqual(match[1]!, token);
}

/**
 * `GET /metrics`: the Prometheus exposition of the hub's metrics. Mounted only when metrics are
 * enabled; with a token, a scrape without that bearer token gets 401.
 */
export function metricsRouter(metrics: HubMetrics, token: string | undefined): Router {
  const router = express.Router();
  router.get('/metrics', async (req: Request, res: Response) => {
    if (token !== undefined && !bearerMatches(req, token)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.status(401).json({ error: 'a valid bearer token is required' });
      return;
    }
    const { contentType, body } = await metrics.scrape();
    res.setHeader('cache-control', 'no-store');
    res.type(contentType).send(body);
  });
  return router;
}
