import { mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adminUrlFrom, dropBenchDatabase } from '../shared/bench-database.js';
import { exitOnHelp, numberFlag, targetsFlag } from '../shared/bench-flags.js';
import { runMain, runThenCleanUp } from '../shared/child-process.js';
import { loadHl7Adapter } from './adapter-entry.js';
import { prepareIngestDatabase } from './database.js';
import { MessageStream, type GeneratedMessage } from './messages.js';
import { careGraphParseMapRate, hl7StandardRate, type ParseResult } from './parse-only.js';
import { summariseProfiles } from './profile-summary.js';
import { formatReport, summaryLine } from './report.js';
import {
  measureCareGraph,
  measureRawSql,
  type IngestResult,
  type TargetOptions,
} from './targets.js';

const USAGE = `usage: npm run bench:hl7-ingest -- [flags]
  --duration S          measured seconds per database target (default 30)
  --warmup S            warm-up seconds per database target, not measured (default 5)
  --connections N       MLLP connections (CareGraph) and pg connections (raw SQL), one message in flight each (default 8)
  --hub-instances N     CareGraph hub processes on the one database, connections spread over them (default 1)
  --mix F               share of ADT messages, 0–1; the rest is ORU^R01 (default 0.5)
  --patients N          distinct patients (MRNs) of the generated messages (default 10000)
  --seed N              generator seed (default 1)
  --parse-seconds S     seconds of each parse-only baseline (default 5)
  --targets LIST        comma-separated subset of caregraph,raw-sql,raw-sql-grouped (default all)
  --group-connections N pg connections of raw-sql-grouped, the ceiling with group commit (default 2)
  --max-group N         most messages per transaction of raw-sql-grouped (default: --connections)
  --database-url URL    admin connection (default $CAREGRAPH_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test);
                        each database target gets a fresh database beside it, dropped at the end
  --profile-dir DIR     run the hub with --cpu-prof, write the profile to DIR and print its top frames`;

const TARGETS = ['caregraph', 'raw-sql', 'raw-sql-grouped'] as const;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '8' },
      'hub-instances': { type: 'string', default: '1' },
      mix: { type: 'string', default: '0.5' },
      patients: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      'parse-seconds': { type: 'string', default: '5' },
      'group-connections': { type: 'string', default: '2' },
      'max-group': { type: 'string' },
      targets: { type: 'string', default: TARGETS.join(',') },
      'database-url': { type: 'string' },
      'profile-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  exitOnHelp(values.help, USAGE);
  const number = (name: string, value: string, min: number) => numberFlag(name, value, min, USAGE);
  const mix = number('mix', values.mix, 0);
  if (mix > 1) throw new Error(`--mix must be between 0 and 1\n${USAGE}`);
  return {
    duration: number('duration', values.duration, 1),
    warmup: number('warmup', values.warmup, 0),
    connections: number('connections', values.connections, 1),
    hubInstances: number('hub-instances', values['hub-instances'], 1),
    mix,
    patients: number('patients', values.patients, 1),
    seed: number('seed', values.seed, 0),
    parseSeconds: number('parse-seconds', values['parse-seconds'], 1),
    groupConnections: number('group-connections', values['group-connections'], 1),
    maxGroup: number('max-group', values['max-group'] ?? values.connections, 1),
    targets: targetsFlag(values.targets, TARGETS, USAGE),
    adminUrl: adminUrlFrom(values['database-url']),
    profileDir: values['profile-dir'] && resolve(values['profile-dir']),
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<void> {
  const opts = options();
  const budgetMs = (3 * (opts.warmup + opts.duration + 90) + 2 * opts.parseSeconds + 120) * 1000;
  const watchdog = setTimeout(() => {
    log(`hl7-ingest: exceeded its time budget of ${Math.round(budgetMs / 1000)} s, giving up`);
    process.exit(2);
  }, budgetMs);
  watchdog.unref();
  if (opts.profileDir) await mkdir(opts.profileDir, { recursive: true });

  const stream = { adtShare: opts.mix, patients: opts.patients, seed: opts.seed };
  const databases: string[] = [];
  let caregraph: IngestResult | undefined;
  let raw: IngestResult | undefined;
  let grouped: IngestResult | undefined;
  await runThenCleanUp(
    async () => {
      // Parse-only first, while nothing else of the run uses the CPU.
      const sample = new MessageStream(stream);
      const messages: GeneratedMessage[] = Array.from({ length: 20_000 }, () => sample.next());
      const adapter = await loadHl7Adapter();
      log(`parse-only: ${opts.parseSeconds} s each, ${messages.length} distinct messages`);
      const hl7Standard = hl7StandardRate(messages, opts.parseSeconds);
      const parseMap: ParseResult = careGraphParseMapRate(adapter, messages, opts.parseSeconds);

      const target: TargetOptions = {
        connections: opts.connections,
        hubInstances: opts.hubInstances,
        warmup: opts.warmup,
        duration: opts.duration,
        stream,
        profileDir: opts.profileDir,
        log,
      };
      if (opts.targets.includes('caregraph')) {
        const db = await prepareIngestDatabase(opts.adminUrl, log);
        databases.push(db.name);
        caregraph = await measureCareGraph(db, target);
        log(summaryLine('caregraph', caregraph));
      }
      if (opts.targets.includes('raw-sql')) {
        const db = await prepareIngestDatabase(opts.adminUrl, log);
        databases.push(db.name);
        raw = await measureRawSql(db, target);
        log(summaryLine('raw SQL', raw));
      }
      if (opts.targets.includes('raw-sql-grouped')) {
        const db = await prepareIngestDatabase(opts.adminUrl, log);
        databases.push(db.name);
        const group = { connections: opts.groupConnections, maxGroup: opts.maxGroup };
        grouped = await measureRawSql(db, target, group);
        log(summaryLine('raw SQL, group commit', grouped));
      }
      process.stdout.write(
        `${formatReport(
          {
            connections: opts.connections,
            hubInstances: opts.hubInstances,
            duration: opts.duration,
            warmup: opts.warmup,
            adtShare: opts.mix,
            patients: opts.patients,
            seed: opts.seed,
            cpus: cpus().length,
            loadAverage: loadavg()[0]!,
          },
          caregraph,
          raw,
          grouped && {
            result: grouped,
            ...{ connections: opts.groupConnections, maxGroup: opts.maxGroup },
          },
          hl7Standard,
          parseMap,
        )}\n`,
      );
      if (opts.profileDir) process.stdout.write(`\n${await summariseProfiles(opts.profileDir)}\n`);
      const failed = [caregraph, raw, grouped].some((r) => r && r.failures.size > 0);
      if (failed) log('some messages were not acknowledged AA: the figures are not comparable');
      return !failed && hl7Standard.mismatches === 0 && parseMap.mismatches === 0;
    },
    async () => {
      for (const name of databases) await dropBenchDatabase(opts.adminUrl, name).catch(() => {});
    },
  );
}

runMain(main);
