import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startBenchHub } from '../shared/bench-hub.js';
import { runMain, serveBenchChild } from '../shared/child-process.js';
import { hl7Registration } from './database.js';

/**
 * The CareGraph target of hl7-ingest in its own process, forked by run.ts: a bench hub on the
 * run's database with the hl7v2 plugin listening for MLLP on `--port`, acting as the seeded
 * integration account. Reports `{ port }` once the plugin runs. With `--trace-sql` it records
 * every SQL statement the hub sends (MikroORM's query log: slower) and answers `sql` with the
 * statements since the last call; without it, `sql` answers an empty list.
 */
export interface HubReady {
  port: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      tenant: { type: 'string' },
      'integration-user': { type: 'string' },
      port: { type: 'string' },
      'trace-sql': { type: 'boolean', default: false },
    },
  });
  const url = values['database-url'];
  const tenant = values.tenant;
  const user = values['integration-user'];
  const port = Number(values.port);
  if (!url || !tenant || !user || !Number.isInteger(port) || port < 1)
    throw new Error(
      'usage: hub-process --database-url URL --tenant ID --integration-user ID --port N [--trace-sql]',
    );
  const statements: string[] = [];
  const { hub } = await startBenchHub(
    url,
    // Errors (a message the intake cannot store or apply) go to stderr.
    { logLevel: 'error' },
    {
      plugins: [await hl7Registration(tenant, user, port)],
      ...(values['trace-sql'] ? { onQuery: (sql: string) => void statements.push(sql) } : {}),
    },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = hub.plugins.host.statuses().find((s) => s.id === 'hl7v2');
    if (status?.state === 'running') break;
    if (Date.now() > deadline)
      throw new Error(`the hl7v2 plugin is ${status?.state ?? 'missing'}, not running`);
    await sleep(50);
  }
  serveBenchChild({ port } satisfies HubReady, () => hub.stop(), {
    sql: () => statements.splice(0),
  });
}

runMain(main);
