import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { adminUrlFrom, releaseBenchDatabase } from '../shared/bench-database.js';
import {
  childCpuMicros,
  forkBenchChild,
  requestChild,
  runMain,
  runThenCleanUp,
  stopBenchChild,
  type BenchChild,
} from '../shared/child-process.js';
import { exitOnHelp, numberFlag, targetsFlag } from '../shared/bench-flags.js';
import type { ClientReport, ClientSubscriber } from './client-process.js';
import type { DriveResult } from './drive.js';
import {
  describeSubscriptionsDatabase,
  generateSubscriptionsDatabase,
  type SubscriptionsDatabase,
} from './generate.js';
import { LatencyHistogram } from './latency-histogram.js';
import { formatResults, type TargetName, type TargetResult } from './report.js';
import type { ServerKind, ServerReady } from './target-process.js';

const USAGE = `usage: npm run bench:subscriptions -- [flags]
  --subscribers N       careTeamFeed subscribers, one user and socket each (default 10000)
  --fanout N            members per care team: subscribers one event reaches (default 10)
  --rate N              events per second (default 200)
  --duration S          measured seconds per target and round (default 30)
  --warmup S            events driven before measuring, per target and round (default 5)
  --rounds N            measure each target N times, the targets taking turns (default 1)
  --drain S             wait after the last measured event for late deliveries (default 5)
  --targets LIST        comma-separated subset of bare,caregraph,caregraph-redis
  --clients N           load-client processes the subscribers are spread over (default 2)
  --lanes N             concurrent event writers in the hub (default 16)
  --patients-per-team N patients (each with a task) per care team (default 5)
  --redis-url URL       Redis of caregraph-redis (default $CAREGRAPH_REDIS_URL or redis://127.0.0.1:6379)
  --database-url URL    admin connection (default $CAREGRAPH_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --reuse NAME          use an existing benchmark database instead of generating one (it is kept)
  --keep                keep the generated database (prints its name for --reuse)
  --profile-dir DIR     run the CareGraph servers with --cpu-prof, writing profiles to DIR`;

const TARGETS: readonly TargetName[] = ['bare', 'caregraph', 'caregraph-redis'];

function options() {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '10000' },
      fanout: { type: 'string', default: '10' },
      rate: { type: 'string', default: '200' },
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '1' },
      drain: { type: 'string', default: '5' },
      targets: { type: 'string', default: TARGETS.join(',') },
      clients: { type: 'string', default: '2' },
      lanes: { type: 'string', default: '16' },
      'patients-per-team': { type: 'string', default: '5' },
      'redis-url': { type: 'string' },
      'database-url': { type: 'string' },
      reuse: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'profile-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  exitOnHelp(values.help, USAGE);
  const number = (name: string, value: string, min: number) => numberFlag(name, value, min, USAGE);
  const targets = targetsFlag(values.targets, TARGETS, USAGE);
  return {
    subscribers: number('subscribers', values.subscribers, 1),
    fanout: number('fanout', values.fanout, 1),
    rate: number('rate', values.rate, 1),
    duration: number('duration', values.duration, 1),
    warmup: number('warmup', values.warmup, 0),
    rounds: number('rounds', values.rounds, 1),
    drain: number('drain', values.drain, 1),
    targets,
    clients: number('clients', values.clients, 1),
    lanes: number('lanes', values.lanes, 1),
    patientsPerTeam: number('patients-per-team', values['patients-per-team'], 1),
    redisUrl: values['redis-url'] ?? process.env.CAREGRAPH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    adminUrl: adminUrlFrom(values['database-url']),
    reuse: values.reuse,
    keep: values.keep,
    profileDir: values['profile-dir'] && resolve(values['profile-dir']),
  };
}

type Options = ReturnType<typeof options>;
type Server = BenchChild<ServerReady>;
type LoadClient = BenchChild<unknown>;
type Memory = { rss: number; heapUsed: number };

const log = (message: string) => process.stderr.write(`${message}\n`);

function startServer(
  kind: ServerKind,
  label: string,
  db: SubscriptionsDatabase,
  opts: Options,
  redis?: { url: string; channel: string },
): Promise<Server> {
  const hub = kind === 'caregraph';
  // CareGraph runs as `npm start` runs it: with AsyncLocalStorage on async context frames. Both
  // servers get the young generation `npm start` gives the hub (fewer, cheaper scavenges).
  const execArgv = [
    '--expose-gc',
    '--max-semi-space-size=64',
    ...(hub ? ['--experimental-async-context-frame'] : []),
  ];
  if (hub && opts.profileDir)
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${opts.profileDir}`,
      `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`,
    );
  const args = ['--kind', kind, '--database-url', db.url, '--tenant', db.tenantId];
  args.push('--source-user', db.sourceUserId);
  if (redis) args.push('--redis-url', redis.url, '--channel', redis.channel);
  return forkBenchChild<ServerReady>(
    label,
    new URL('./target-process.js', import.meta.url),
    args,
    execArgv,
  );
}

async function startServers(name: TargetName, db: SubscriptionsDatabase, opts: Options) {
  if (name === 'bare') return [await startServer('bare', 'bare', db, opts)];
  if (name === 'caregraph') return [await startServer('caregraph', 'caregraph', db, opts)];
  // A channel of this run only: other runs and test suites share the Redis server.
  const redis = {
    url: opts.redisUrl,
    channel: `caregraph:bench:${randomBytes(6).toString('hex')}`,
  };
  return Promise.all([
    startServer('caregraph', 'caregraph-redis-a', db, opts, redis),
    startServer('caregraph', 'caregraph-redis-b', db, opts, redis),
  ]);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function memoryOf(servers: Server[]): Promise<Memory> {
  const all = await Promise.all(servers.map((s) => requestChild<Memory>(s, 'memory')));
  return { rss: sum(all.map((m) => m.rss)), heapUsed: sum(all.map((m) => m.heapUsed)) };
}

/**
 * Connects every subscriber (subscriber k to server k mod servers, through load client k mod
 * clients) and returns how many of each team's subscribers connected.
 */
async function connectSubscribers(
  servers: Server[],
  clients: LoadClient[],
  db: SubscriptionsDatabase,
): Promise<number[]> {
  const tokens = await Promise.all(
    servers.map((server, s) =>
      requestChild<string[]>(
        server,
        'tokens',
        db.subscribers.filter((_, k) => k % servers.length === s).map((sub) => sub.userId),
      ),
    ),
  );
  const perClient: ClientSubscriber[][] = clients.map(() => []);
  db.subscribers.forEach((sub, k) => {
    const s = k % servers.length;
    perClient[k % clients.length]!.push({
      key: k,
      url: servers[s]!.ready.url,
      token: tokens[s]![Math.floor(k / servers.length)] || undefined,
      team: sub.team,
    });
  });
  const connected = await Promise.all(
    clients.map((client, c) =>
      requestChild<number[]>(client, 'open', { subscribers: perClient[c], concurrency: 25 }),
    ),
  );
  const perTeam = new Array<number>(db.teams).fill(0);
  for (const key of connected.flat()) perTeam[db.subscribers[key]!.team]!++;
  return perTeam;
}

/** One target measured once: start, connect, warm up, measure, disconnect, stop. */
async function measureTarget(
  name: TargetName,
  db: SubscriptionsDatabase,
  clients: LoadClient[],
  opts: Options,
): Promise<TargetResult> {
  const servers = await startServers(name, db, opts);
  const driver = servers[0]!;
  try {
    await requestChild(driver, 'events', db.events);
    const memoryBefore = await memoryOf(servers);
    const connectStarted = Date.now();
    const perTeam = await connectSubscribers(servers, clients, db);
    const connected = sum(perTeam);
    log(
      `${name}: ${connected}/${db.subscribers.length} subscribers connected in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s`,
    );
    const drive = (seconds: number, start: number) =>
      requestChild<DriveResult>(driver, 'drive', {
        rate: opts.rate,
        seconds,
        lanes: opts.lanes,
        start,
      });
    // Let the servers take the subscribe messages that followed the acknowledgements.
    await sleep(2_000);
    let start = 0;
    if (opts.warmup > 0) {
      const warm = await drive(opts.warmup, 0);
      start = warm.emitted;
      await sleep(1_000);
    }
    const memoryAfter = await memoryOf(servers);
    const since = Date.now();
    await Promise.all(clients.map((c) => requestChild(c, 'reset', { since })));
    const cpuBefore = await Promise.all(servers.map(childCpuMicros));
    await Promise.all(servers.map((s) => requestChild(s, 'statements')));
    const wallStarted = performance.now();
    log(`${name}: measuring ${opts.duration} s at ${opts.rate} events/s`);
    const driven = await drive(opts.duration, start);
    await sleep(opts.drain * 1000);
    const wallMs = performance.now() - wallStarted;
    const cpuAfter = await Promise.all(servers.map(childCpuMicros));
    const statements = (
      await Promise.all(servers.map((s) => requestChild<[string, number][]>(s, 'statements')))
    ).flat();
    const reports = await Promise.all(clients.map((c) => requestChild<ClientReport>(c, 'report')));
    let expected = 0;
    for (let i = start; i < start + driven.emitted; i++)
      expected += perTeam[db.events[i % db.events.length]!.team]!;
    const histogram = new LatencyHistogram();
    for (const r of reports) histogram.add(r.histogram);
    const errors = sum(reports.map((r) => r.errors));
    if (errors)
      log(`${name}: ${errors} errors, e.g. ${reports.find((r) => r.sampleError)?.sampleError}`);
    const result: TargetResult = {
      name,
      subscribers: connected,
      emitted: driven.emitted,
      failedEmits: driven.failed,
      driveSeconds: driven.seconds,
      driveLagMs: driven.lagMs,
      expected,
      received: histogram.total,
      active: sum(reports.map((r) => r.active)),
      errors,
      histogram,
      rssPerConnection: (memoryAfter.rss - memoryBefore.rss) / Math.max(connected, 1),
      heapPerConnection: (memoryAfter.heapUsed - memoryBefore.heapUsed) / Math.max(connected, 1),
      cpuMs: (sum(cpuAfter) - sum(cpuBefore)) / 1000,
      wallMs,
      loadAverage: loadavg()[0]!,
      sample: reports.find((r) => r.sample)?.sample,
      statements: sum(statements.map(([, n]) => n)),
    };
    if (statements.length) {
      const top = statements.sort((a, b) => b[1] - a[1]).slice(0, 12);
      log(`${name}: SQL statements while measuring (${result.statements}), most frequent:`);
      for (const [shape, n] of top) log(`  ${String(n).padStart(7)}  ${shape}`);
    }
    log(
      `${name}: ${result.received}/${result.expected} deliveries, p50 ${histogram.percentile(50)} ms, p99 ${histogram.percentile(99)} ms, max ${histogram.max()} ms, CPU ${((result.cpuMs / wallMs) * 100).toFixed(0)} % of a core, load ${result.loadAverage.toFixed(1)}`,
    );
    await Promise.all(clients.map((c) => requestChild(c, 'close')));
    return result;
  } finally {
    await Promise.all(servers.map(stopBenchChild));
  }
}

/** Several rounds of one target as one result: counts summed, histograms merged. */
function combine(results: TargetResult[]): TargetResult {
  if (results.length === 1) return results[0]!;
  const histogram = new LatencyHistogram();
  for (const r of results) histogram.add(r.histogram.toPairs());
  const mean = (pick: (r: TargetResult) => number) => sum(results.map(pick)) / results.length;
  return {
    ...results[0]!,
    subscribers: Math.min(...results.map((r) => r.subscribers)),
    emitted: sum(results.map((r) => r.emitted)),
    failedEmits: sum(results.map((r) => r.failedEmits)),
    driveSeconds: sum(results.map((r) => r.driveSeconds)),
    driveLagMs: Math.max(...results.map((r) => r.driveLagMs)),
    expected: sum(results.map((r) => r.expected)),
    received: sum(results.map((r) => r.received)),
    active: Math.min(...results.map((r) => r.active)),
    errors: sum(results.map((r) => r.errors)),
    histogram,
    rssPerConnection: mean((r) => r.rssPerConnection),
    heapPerConnection: mean((r) => r.heapPerConnection),
    cpuMs: sum(results.map((r) => r.cpuMs)),
    wallMs: sum(results.map((r) => r.wallMs)),
    loadAverage: mean((r) => r.loadAverage),
    statements: sum(results.map((r) => r.statements)),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const perTarget = opts.warmup + opts.duration + opts.drain + opts.subscribers / 50 + 60;
  const budgetMs = (opts.targets.length * opts.rounds * perTarget + 600) * 1000;
  const watchdog = setTimeout(() => {
    log(`subscriptions: exceeded its time budget of ${Math.round(budgetMs / 1000)} s, giving up`);
    process.exit(2);
  }, budgetMs);
  watchdog.unref();

  const teams = Math.ceil(opts.subscribers / opts.fanout);
  const db = opts.reuse
    ? await describeSubscriptionsDatabase(opts.adminUrl, opts.reuse)
    : await generateSubscriptionsDatabase({
        adminUrl: opts.adminUrl,
        teams,
        membersPerTeam: opts.fanout,
        patientsPerTeam: opts.patientsPerTeam,
        log,
      });
  const clients: LoadClient[] = [];
  await runThenCleanUp(
    async () => {
      if (opts.reuse && db.subscribers.length !== opts.subscribers)
        log(`${db.name} has ${db.subscribers.length} subscribers: --subscribers does not apply`);
      for (let c = 0; c < opts.clients; c++)
        clients.push(
          await forkBenchChild(`client-${c}`, new URL('./client-process.js', import.meta.url), []),
        );
      const rounds = new Map<TargetName, TargetResult[]>(opts.targets.map((t) => [t, []]));
      for (let round = 0; round < opts.rounds; round++) {
        // Each round starts with the next target, so no target always follows the same one.
        const order = opts.targets.map((_, i) => opts.targets[(i + round) % opts.targets.length]!);
        for (const name of order) {
          log(`${name}: round ${round + 1}/${opts.rounds}`);
          rounds.get(name)!.push(await measureTarget(name, db, clients, opts));
        }
      }
      const results = opts.targets.map((t) => combine(rounds.get(t)!));
      process.stdout.write(
        `${formatResults(results, {
          subscribers: db.subscribers.length,
          teams: db.teams,
          rate: opts.rate,
          duration: opts.duration,
          warmup: opts.warmup,
          rounds: opts.rounds,
          clients: opts.clients,
          cpus: cpus().length,
        })}\n`,
      );
      for (const r of results) log(`${r.name}: sample event ${JSON.stringify(r.sample)}`);
      if (results.some((r) => r.errors > 0 || r.failedEmits > 0)) {
        log('some events failed or arrived with errors: the numbers above are not comparable');
        return false;
      }
      return true;
    },
    async () => {
      await Promise.all(clients.map(stopBenchChild));
      if (opts.profileDir) log(`CPU profiles of the CareGraph servers are in ${opts.profileDir}`);
      await releaseBenchDatabase(opts.adminUrl, db.name, !!opts.reuse || opts.keep, log);
    },
  );
}

runMain(main);
