import { parseArgs } from 'node:util';
import { mintDevToken } from '@caregraph/core';
import { startBenchHub } from '../shared/bench-hub.js';
import { runMain, serveBenchChild, type ChildHandlers } from '../shared/child-process.js';
import { startBareServer } from './bare-server.js';
import { driveAtRate, type DriveOptions } from './drive.js';
import { benchEventSource } from './event-source.js';
import type { EventTarget } from './generate.js';

/**
 * One server of the benchmark in its own process, forked by run.ts: the bare graphql-ws server
 * (`bare`) or a CareGraph hub (`caregraph`, optionally on Redis). Reports `{ url }` (ws://)
 * when listening, and answers (see `serveBenchChild`):
 * - `events` (the event targets, once), `drive` (`{ rate, seconds, lanes, start }`: emits
 *   events at the fixed rate, answers with a `DriveResult`);
 * - `tokens` (user ids: dev tokens for them; the bare server needs none);
 * - `memory` (after a full GC: `{ rss, heapUsed }` in bytes);
 * - `statements` (the hub's SQL statements since the last call, counted by shape).
 */
export type ServerKind = 'bare' | 'caregraph';

/** What a server reports when it is ready. */
export interface ServerReady {
  url: string;
}

interface Running {
  url: string;
  handlers: ChildHandlers;
  stop(): Promise<void>;
}

interface Flags {
  kind: ServerKind;
  databaseUrl: string;
  tenantId: string;
  sourceUserId: string;
  redisUrl?: string;
  channel?: string;
}

let targets: EventTarget[] = [];
const receiveTargets = (body: unknown) => void (targets = body as EventTarget[]);

async function startBare(flags: Flags): Promise<Running> {
  const bare = await startBareServer(flags.databaseUrl);
  return {
    url: bare.url,
    handlers: {
      events: async (body) => {
        receiveTargets(body);
        await bare.load(targets);
      },
      tokens: (body) => (body as string[]).map(() => ''),
      drive: (body) => {
        const { start, ...options } = body as DriveOptions & { start: number };
        return driveAtRate({ ...options, lanes: 1 }, start, (work) =>
          work(async (i) => bare.publish(targets[i % targets.length]!)),
        );
      },
    },
    stop: () => bare.stop(),
  };
}

/** SQL statements the hub sent, by their first words (what a delivery costs in round trips). */
const statements = new Map<string, number>();
function countStatement(sql: string): void {
  const shape = sql
    .replace(/'[^']*'/g, '?')
    .replace(/\b[0-9a-f-]{36}\b|\b\d+\b/g, '?')
    .slice(0, 90);
  statements.set(shape, (statements.get(shape) ?? 0) + 1);
}

function takeStatements(): [string, number][] {
  const counted = [...statements].sort((a, b) => b[1] - a[1]);
  statements.clear();
  return counted;
}

async function startCareGraph(flags: Flags): Promise<Running> {
  const source = benchEventSource();
  const { hub, port } = await startBenchHub(
    flags.databaseUrl,
    { redisUrl: flags.redisUrl, ...(flags.channel ? { eventChannel: flags.channel } : {}) },
    { plugins: [source.plugin], onQuery: countStatement },
  );
  const key = hub.devSigningKey!;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    handlers: {
      events: receiveTargets,
      tokens: (body) =>
        Promise.all(
          (body as string[]).map((userId) =>
            mintDevToken(key, { userId, tenantId: flags.tenantId }, '4h'),
          ),
        ),
      drive: (body) => {
        const { start, ...options } = body as DriveOptions & { start: number };
        return driveAtRate(
          options,
          start,
          source.openLane(flags.tenantId, flags.sourceUserId, targets),
        );
      },
    },
    stop: () => hub.stop(),
  };
}

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string' },
      'database-url': { type: 'string' },
      tenant: { type: 'string' },
      'source-user': { type: 'string' },
      'redis-url': { type: 'string' },
      channel: { type: 'string' },
    },
  });
  const kind = values.kind as ServerKind;
  if (
    !['bare', 'caregraph'].includes(kind) ||
    !values['database-url'] ||
    !values.tenant ||
    !values['source-user']
  )
    throw new Error(
      'usage: target-process --kind <bare|caregraph> --database-url URL --tenant ID --source-user ID [--redis-url URL --channel NAME]',
    );
  const flags: Flags = {
    kind,
    databaseUrl: values['database-url'],
    tenantId: values.tenant,
    sourceUserId: values['source-user'],
    redisUrl: values['redis-url'],
    channel: values.channel,
  };
  const running = kind === 'bare' ? await startBare(flags) : await startCareGraph(flags);
  serveBenchChild({ url: running.url } satisfies ServerReady, running.stop, {
    ...running.handlers,
    memory,
    statements: takeStatements,
  });
}

runMain(main);
