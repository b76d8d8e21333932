import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { chartRequestBody } from './chart-query.js';
import { adminUrlFrom, releaseBenchDatabase } from '../shared/bench-database.js';
import {
  childCpuMicros,
  forkBenchChild,
  runMain,
  runThenCleanUp,
  stopBenchChild,
  type BenchChild,
} from '../shared/child-process.js';
import { exitOnHelp, numberFlag, targetsFlag } from '../shared/bench-flags.js';
import { describeBenchDatabase, generateBenchDatabase, type BenchDatabase } from './generate.js';
import { combineRounds, loadTarget, type LoadResult } from './load.js';
import type { TargetName, TargetReady } from './target-process.js';

const USAGE = `usage: npm run bench:graphql-read -- [flags]
  --patients N          patients to generate (default 10000)
  --duration S          measured seconds per target (default 15)
  --rounds N            split each target's measured time into N rounds, the targets taking
                        turns (default 1), so load from other jobs falls on all of them alike
  --warmup S            warm-up seconds per target, not measured (default 5)
  --connections N       concurrent connections (default 16)
  --database-url URL    admin connection (default $CAREGRAPH_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --reuse NAME          use an existing benchmark database instead of generating one (it is kept)
  --keep                keep the generated database (prints its name for --reuse)
  --targets LIST        comma-separated subset of baseline,caregraph,caregraph-no-shield
  --profile-dir DIR     run the CareGraph targets with --cpu-prof, writing profiles to DIR`;

const LABELS: Record<TargetName, string> = {
  baseline: 'baseline (graphql-js + pg)',
  caregraph: 'CareGraph',
  'caregraph-no-shield': 'CareGraph without authorization and audit',
};

type RunningTarget = BenchChild<TargetReady> & { name: TargetName };

function options() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '10000' },
      duration: { type: 'string', default: '15' },
      rounds: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      'database-url': { type: 'string' },
      reuse: { type: 'string' },
      keep: { type: 'boolean', default: false },
      targets: { type: 'string', default: 'baseline,caregraph,caregraph-no-shield' },
      'profile-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  exitOnHelp(values.help, USAGE);
  const number = (name: string, value: string, min: number) => numberFlag(name, value, min, USAGE);
  const targets = targetsFlag(values.targets, Object.keys(LABELS) as TargetName[], USAGE);
  return {
    patients: number('patients', values.patients, 10),
    duration: number('duration', values.duration, 1),
    rounds: number('rounds', values.rounds, 1),
    warmup: number('warmup', values.warmup, 0),
    connections: number('connections', values.connections, 1),
    adminUrl: adminUrlFrom(values['database-url']),
    reuse: values.reuse,
    keep: values.keep,
    targets,
    profileDir: values['profile-dir'] && resolve(values['profile-dir']),
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function startTarget(
  name: TargetName,
  db: BenchDatabase,
  profileDir: string | undefined,
): Promise<RunningTarget> {
  // CareGraph runs as `npm start` runs it: with AsyncLocalStorage on async context frames.
  const hubArgv = name === 'baseline' ? [] : ['--experimental-async-context-frame'];
  const profileArgv =
    profileDir && name !== 'baseline'
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDir}`,
          `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
        ]
      : [];
  const child = await forkBenchChild<TargetReady>(
    name,
    new URL('./target-process.js', import.meta.url),
    ['--target', name, '--database-url', db.url, '--tenant', db.tenantId, '--user', db.userId],
    [...hubArgv, ...profileArgv],
  );
  return { ...child, name };
}

async function fetchChart(target: TargetReady, patientId: string): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.authorization) headers.authorization = target.authorization;
  const response = await fetch(target.url, {
    method: 'POST',
    headers,
    body: chartRequestBody(patientId),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!response.ok || body.errors)
    throw new Error(
      `chart query failed (${response.status}): ${JSON.stringify(body).slice(0, 500)}`,
    );
  return body;
}

/** First path where two JSON values differ, for the error message. */
function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const [x, y] = [(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]];
    if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${key}`);
  }
  return path;
}

/** Every target answers the chart of the same patients with the same JSON. */
async function verifySameAnswers(targets: RunningTarget[], patientIds: string[]): Promise<void> {
  for (const patientId of patientIds) {
    const answers = await Promise.all(targets.map((t) => fetchChart(t.ready, patientId)));
    for (let i = 1; i < answers.length; i++) {
      if (!isDeepStrictEqual(answers[0], answers[i])) {
        throw new Error(
          `${targets[i].name} and ${targets[0].name} disagree on patient ${patientId} at ${firstDifference(answers[0], answers[i])}`,
        );
      }
    }
  }
  log(
    `verified: ${targets.map((t) => t.name).join(', ')} return the same chart for ${patientIds.length} patients`,
  );
}

function cpuPerRequestOf(r: LoadResult): number {
  return r.cpuMicros === undefined || r.total === 0 ? NaN : r.cpuMicros / 1000 / r.total;
}

function cpuPerRequest(r: LoadResult): string {
  return cpuPerRequestOf(r).toFixed(2);
}

function printResults(
  opts: ReturnType<typeof options>,
  db: BenchDatabase,
  results: Map<TargetName, LoadResult>,
): void {
  const lines = [
    `graphql-read: ${db.patientCount} patients (chart of ${db.patientIds.length} rotating), ${opts.connections} connections, ` +
      `${opts.duration} s per target${opts.rounds > 1 ? ` in ${opts.rounds} alternating rounds` : ''} after ${opts.warmup} s warm-up; Node ${process.version}, ${cpus().length} CPUs`,
    '',
    '| target | req/s | p50 ms | p99 ms | requests | failures | server CPU ms/request |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, r] of results) {
    lines.push(
      `| ${LABELS[name]} | ${r.requestsPerSecond.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.failures} | ${cpuPerRequest(r)} |`,
    );
  }
  const baseline = results.get('baseline');
  lines.push('');
  for (const name of ['caregraph', 'caregraph-no-shield'] as const) {
    const r = results.get(name);
    if (baseline && r) {
      const ratio = r.requestsPerSecond / baseline.requestsPerSecond;
      const goal =
        name === 'caregraph' ? ` (goal >= 0.70: ${ratio >= 0.7 ? 'met' : 'NOT met'})` : '';
      lines.push(`ratio ${LABELS[name]} / baseline: ${ratio.toFixed(2)}${goal}`);
    }
  }
  const full = results.get('caregraph');
  const open = results.get('caregraph-no-shield');
  if (full && open) {
    // Issue #3: what authorization (shield, care relationships, sensitivity) and the read audit
    // cost, against the same hub with both off, in the same run.
    const overhead = (1 - full.requestsPerSecond / open.requestsPerSecond) * 100;
    // The same cost in server CPU per request: steadier than throughput when other jobs load
    // the machine (the hub is CPU-bound, so it predicts throughput on a quiet machine).
    const cpuOverhead = (1 - cpuPerRequestOf(open) / cpuPerRequestOf(full)) * 100;
    lines.push(
      `overhead of authorization and audit: ${overhead.toFixed(1)} % of throughput (goal <= 15 %: ${overhead <= 15 ? 'met' : 'NOT met'}); ${cpuOverhead.toFixed(1)} % of the hub's CPU per request`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const opts = options();
  const budgetMs = (opts.targets.length * (opts.duration + opts.warmup + opts.rounds) + 600) * 1000;
  const watchdog = setTimeout(() => {
    log(`graphql-read: exceeded its time budget of ${budgetMs / 1000} s, giving up`);
    process.exit(2);
  }, budgetMs);
  watchdog.unref();

  const db = opts.reuse
    ? await describeBenchDatabase(opts.adminUrl, opts.reuse)
    : await generateBenchDatabase({ adminUrl: opts.adminUrl, patients: opts.patients, log });
  const running: RunningTarget[] = [];
  await runThenCleanUp(
    async () => {
      if (db.patientIds.length === 0)
        throw new Error(`${db.name} has no patients on the bench physician's care teams`);
      for (const name of opts.targets) running.push(await startTarget(name, db, opts.profileDir));
      await verifySameAnswers(running, [
        db.patientIds[0],
        db.patientIds[Math.floor(db.patientIds.length / 2)],
        db.patientIds.at(-1)!,
      ]);
      const load = (target: RunningTarget, duration: number) =>
        loadTarget(target.ready, {
          connections: opts.connections,
          duration,
          patientIds: db.patientIds,
        });
      if (opts.warmup > 0) {
        for (const target of running) {
          log(`${target.name}: warm-up ${opts.warmup} s`);
          await load(target, opts.warmup);
        }
      }
      const rounds = new Map<TargetName, LoadResult[]>(running.map((t) => [t.name, []]));
      const roundSeconds = opts.duration / opts.rounds;
      for (let round = 0; round < opts.rounds; round++) {
        // Each round starts with the next target, so no target always follows the same one.
        const order = running.map((_, i) => running[(i + round) % running.length]!);
        for (const target of order) {
          log(
            `${target.name}: measuring ${roundSeconds} s at ${opts.connections} connections (round ${round + 1}/${opts.rounds})`,
          );
          const cpuBefore = await childCpuMicros(target);
          const measured = await load(target, roundSeconds);
          const result = { ...measured, cpuMicros: (await childCpuMicros(target)) - cpuBefore };
          log(
            `${target.name}: ${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${cpuPerRequest(result)} ms/request`,
          );
          rounds.get(target.name)!.push(result);
        }
      }
      const results = new Map<TargetName, LoadResult>(
        running.map((t) => [t.name, combineRounds(rounds.get(t.name)!, roundSeconds)]),
      );
      printResults(opts, db, results);
      if ([...results.values()].some((r) => r.failures > 0)) {
        log('some requests failed: the numbers above are not comparable');
        return false;
      }
      return true;
    },
    async () => {
      await Promise.all(running.map(stopBenchChild));
      if (opts.profileDir) log(`CPU profiles of the CareGraph targets are in ${opts.profileDir}`);
      await releaseBenchDatabase(opts.adminUrl, db.name, !!opts.reuse || opts.keep, log);
    },
  );
}

runMain(main);
