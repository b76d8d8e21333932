import express, { type Request, type Response, type Router } from 'express';
import type { PluginHttpRequest } from '@caregraph/plugin-sdk';
import type { RequestRateLimiter } from '../server/rate-limit.js';
import type { PluginHost } from './plugin-host.js';

/** Where a plugin's routes are mounted. */
export function pluginRoutePrefix(pluginId: string): string {
  return `/plugins/${pluginId}`;
}

function problem(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

function toPluginRequest(req: Request, path: string): PluginHttpRequest {
  const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let body: unknown;
  if (rawBody.length && /json/i.test(req.header('content-type') ?? '')) {
    body = JSON.parse(rawBody.toString('utf8'));
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : value,
    ]),
  );
  const query = Object.fromEntries(
    Object.entries(req.query).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : undefined,
    ]),
  );
  return { method: req.method, path, headers, query, body, rawBody };
}

/**
 * Mounts each plugin's routes at `/plugins/<id><path>`, behind the same rate limit as `/graphql`.
 * A plugin that is not serving answers 503; a handler's exception answers 500 (the details go to
 * the log, never to the caller) and is counted against the plugin, never the hub.
 */
export function pluginRouter(host: PluginHost, rateLimiter?: RequestRateLimiter): Router {
  const router = express.Router();
  const limit = rateLimiter ? [rateLimiter.middleware()] : [];
  for (const { definition } of host.plugins) {
    for (const route of definition.routes ?? []) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      router[method](
        `${pluginRoutePrefix(definition.id)}${route.path}`,
        ...limit,
        express.raw({ type: () => true, limit: route.bodyLimitBytes ?? 1024 * 1024 }),
        async (req: Request, res: Response) => {
          const ctx = host.context(definition.id);
          if (!ctx || !host.serving(definition.id))
            return problem(
              res,
              503,
              'SERVICE_UNAVAILABLE',
              `Plugin ${definition.id} is not running.`,
            );
          let request: PluginHttpRequest;
          try {
            request = toPluginRequest(req, route.path);
          } catch {
            return problem(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
          }
          try {
            const answer = await route.handler(request, ctx);
            for (const [name, value] of Object.entries(answer.headers ?? {}))
              res.setHeader(name, value);
            res.status(answer.status);
            if (answer.body === undefined) res.end();
            else if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body))
              res.send(answer.body);
            else res.json(answer.body);
          } catch (error) {
            host.handlerError(definition.id, `route ${route.method} ${route.path}`, error);
            if (!res.headersSent)
              problem(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
          }
        },
      );
    }
  }
  return router;
}
