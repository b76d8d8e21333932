import type { Request, Response, Router } from 'express';
import express from 'express';
import type { MikroORM } from '@mikro-orm/sql';
import type { PluginStatusReport } from '@caregraph/plugin-sdk';

/** Live state the health endpoints report. */
export interface HealthState {
  orm: MikroORM;
  startedAt: Date;
  /** false until migrations ran and the server listens; false again while shutting down. */
  ready: boolean;
  /** Runs the plugins' health checks and returns their statuses. */
  plugins?: () => Promise<PluginStatusReport[]>;
}

/** A plugin's line on `/health`. */
function pluginLine(status: PluginStatusReport) {
  return {
    id: status.id,
    version: status.version,
    state: status.state,
    message: status.message,
    restarts: status.restarts,
    nextRestartAt: status.nextRestartAt?.toISOString(),
  };
}

async function databaseStatus(orm: MikroORM): Promise<'up' | 'down'> {
  try {
    await orm.em.getConnection().execute('select 1');
    return 'up';
  } catch {
    return 'down';
  }
}

/**
 * `/health`: liveness with component status (200 while the process runs).
 * `/ready`: 200 only when the hub can serve (database reachable, started, not draining).
 */
export function healthRouter(state: HealthState): Router {
  const router = express.Router();
  router.get('/health', async (_req: Request, res: Response) => {
    const [database, plugins] = await Promise.all([
      databaseStatus(state.orm),
      state.plugins?.() ?? Promise.resolve([]),
    ]);
    const pluginsOk = plugins.every((p) => p.state === 'running');
    res.status(200).json({
      status: database === 'up' && pluginsOk ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - state.startedAt.getTime()) / 1000),
      components: { database },
      plugins: plugins.map(pluginLine),
    });
  });
  router.get('/ready', async (_req: Request, res: Response) => {
    const database = await databaseStatus(state.orm);
    const ready = state.ready && database === 'up';
    res.status(ready ? 200 : 503).json({ ready, components: { database } });
  });
  return router;
}
