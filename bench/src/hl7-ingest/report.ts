import { percentile } from './load.js';
import type { ParseResult } from './parse-only.js';
import type { IngestResult } from './targets.js';

/** The goal of the issue: msg/s on this machine, and the share of the raw SQL ceiling. */
export const GOAL_RATE = 1_000;
export const GOAL_SHARE_OF_CEILING = 0.5;

/** What the run was. */
export interface RunFacts {
  connections: number;
  hubInstances: number;
  duration: number;
  warmup: number;
  adtShare: number;
  patients: number;
  seed: number;
  cpus: number;
  loadAverage: number;
}

const rateOf = (r: { completed: number; seconds: number }) => r.completed / r.seconds;
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';
const failuresOf = (r: IngestResult) => [...r.failures.values()].reduce((a, b) => a + b, 0);

/** One line about a database target, logged as soon as it is measured. */
export function summaryLine(name: string, r: IngestResult): string {
  return `${name}: ${fmt(rateOf(r))} msg/s, ACK p50 ${fmt(percentile(r.latencies, 50), 1)} ms, p99 ${fmt(percentile(r.latencies, 99), 1)} ms, ${fmt(r.completed)} measured, ${fmt(failuresOf(r))} not AA${r.serverCpuMs === undefined ? '' : `, process CPU ${fmt((r.serverCpuMs * 1000) / Math.max(r.completed, 1))} µs/msg`}`;
}

function dbRow(name: string, r: IngestResult): string {
  const per = (n: number) => fmt(n / Math.max(r.issued, 1), 1);
  const p50 = percentile(r.latencies, 50);
  const p99 = percentile(r.latencies, 99);
  const cpu =
    r.serverCpuMs === undefined ? '–' : fmt((r.serverCpuMs * 1000) / Math.max(r.completed, 1));
  return `| ${name} | ${fmt(rateOf(r))} | ${fmt(p50, 1)} | ${fmt(p99, 1)} | ${fmt(r.completed)} | ${fmt(failuresOf(r))} | ${cpu} | ${per(r.database.commits)} | ${per(r.database.inserted)} | ${per(r.database.updated)} |`;
}

/** The Markdown table, ratios and verdict of a run. */
export function formatReport(
  facts: RunFacts,
  caregraph: IngestResult | undefined,
  raw: IngestResult | undefined,
  /** The ceiling with group commit (not the goal's ceiling: the hub commits each message). */
  grouped: { result: IngestResult; connections: number; maxGroup: number } | undefined,
  hl7Standard: ParseResult,
  parseMap: ParseResult | undefined,
): string {
  const lines = [
    `hl7-ingest: ${facts.connections} connections, one message in flight each; ${fmt(facts.adtShare * 100)} % ADT (A01/A08) / ORU^R01 with 3–8 OBX; ${fmt(facts.patients)} patients; seed ${facts.seed}; ${facts.warmup} s warm-up, ${facts.duration} s measured; ${facts.cpus} CPUs, load average ${fmt(facts.loadAverage, 1)}`,
    '',
    '| target | msg/s | ACK p50 ms | ACK p99 ms | messages | failed / non-AA | process CPU µs/msg | commits/msg | rows inserted/msg | rows updated/msg |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const instances = facts.hubInstances > 1 ? `, ${facts.hubInstances} hub instances` : '';
  if (caregraph) lines.push(dbRow(`CareGraph (MLLP → hub → PostgreSQL${instances})`, caregraph));
  if (raw) lines.push(dbRow('raw SQL ceiling (same statements through pg)', raw));
  if (grouped)
    lines.push(
      dbRow(
        `raw SQL with group commit (${grouped.connections} pg connections, ≤ ${grouped.maxGroup} messages per transaction)`,
        grouped.result,
      ),
    );
  const parseRow = (name: string, r: ParseResult) =>
    `| ${name} | ${fmt(r.messages / r.seconds)} | – | – | ${fmt(r.messages)} | ${fmt(r.mismatches)} | ${fmt((r.seconds * 1e6) / r.messages, 1)} | – | – | – |`;
  lines.push(parseRow('hl7-standard 1.0.4 parse only (one core)', hl7Standard));
  if (parseMap) lines.push(parseRow('CareGraph parse + map, no I/O (one core)', parseMap));
  lines.push('');
  if (caregraph) {
    const rate = rateOf(caregraph);
    const ceiling = raw ? rateOf(raw) : NaN;
    const share = rate / ceiling;
    lines.push(
      `CareGraph / raw SQL ceiling: ${fmt(share, 2)} (goal ≥ ${GOAL_SHARE_OF_CEILING})`,
      `CareGraph / ${fmt(GOAL_RATE)} msg/s goal: ${fmt(rate / GOAL_RATE, 2)}`,
      `CareGraph / hl7-standard parse-only: ${fmt(rate / (hl7Standard.messages / hl7Standard.seconds), 3)}`,
    );
    const met = rate >= GOAL_RATE && raw !== undefined && share >= GOAL_SHARE_OF_CEILING;
    const clean = failuresOf(caregraph) === 0;
    lines.push(
      `goal ${met && clean ? 'met' : 'NOT met'}: ${fmt(rate)} msg/s ${rate >= GOAL_RATE ? '≥' : '<'} ${fmt(GOAL_RATE)}, ${raw ? `${fmt(share * 100)} % of the raw SQL ceiling ${share >= GOAL_SHARE_OF_CEILING ? '≥' : '<'} ${GOAL_SHARE_OF_CEILING * 100} %` : 'raw SQL ceiling not measured'}${clean ? ', every message AA' : `, ${fmt(failuresOf(caregraph))} messages not AA`}`,
    );
  }
  if (grouped && raw)
    lines.push(
      `raw SQL with group commit / raw SQL ceiling: ${fmt(rateOf(grouped.result) / rateOf(raw), 2)}× (what committing the messages that arrive together as one transaction would give the same statements)`,
    );
  for (const [name, r] of [
    ['caregraph', caregraph],
    ['raw SQL', raw],
    ['raw SQL, group commit', grouped?.result],
  ] as const)
    for (const [reason, n] of r?.failures ?? []) lines.push(`${name}: ${n} × ${reason}`);
  return lines.join('\n');
}
