import type { LatencyHistogram } from './latency-histogram.js';

/** The servers a run compares. */
export type TargetName = 'bare' | 'caregraph' | 'caregraph-redis';

export const TARGET_LABELS: Record<TargetName, string> = {
  bare: 'bare graphql-ws (no auth, no outbox)',
  caregraph: 'CareGraph, one instance',
  'caregraph-redis': 'CareGraph, two instances + Redis',
};

/** One target's measurement (or several rounds of it, combined). */
export interface TargetResult {
  name: TargetName;
  subscribers: number;
  emitted: number;
  failedEmits: number;
  driveSeconds: number;
  /** How far the event source fell behind its schedule at worst, in ms. */
  driveLagMs: number;
  /** Deliveries due: for each measured event, the connected subscribers of its team. */
  expected: number;
  received: number;
  /** Subscriptions that received at least one measured event. */
  active: number;
  errors: number;
  histogram: LatencyHistogram;
  rssPerConnection: number;
  heapPerConnection: number;
  /** Server CPU time (all the target's processes) from the first measured event to the drain's end. */
  cpuMs: number;
  wallMs: number;
  loadAverage: number;
  /** SQL statements the servers sent while measuring (the bare server sends none). */
  statements: number;
  sample?: unknown;
}

/** What the run was. */
export interface RunDescription {
  subscribers: number;
  teams: number;
  rate: number;
  duration: number;
  warmup: number;
  rounds: number;
  clients: number;
  cpus: number;
}

const P99_GOAL_MS = 250;
const SUBSCRIBER_GOAL = 10_000;

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The Markdown table of a run, with the goal's verdict for the CareGraph targets. */
export function formatResults(results: TargetResult[], run: RunDescription): string {
  const lines = [
    `subscriptions: ${run.subscribers} careTeamFeed subscribers on ${run.teams} care teams, ${run.rate} events/s, ` +
      `${run.duration} s measured per target${run.rounds > 1 ? ` × ${run.rounds} rounds (targets taking turns)` : ''} after ${run.warmup} s warm-up; ` +
      `${run.clients} load-client processes; Node ${process.version}, ${run.cpus} CPUs`,
    '',
    '| target | subscribers | events/s | deliveries/s | p50 ms | p99 ms | max ms | expected | received | lost | RSS KB/conn | heap KB/conn | server CPU % of a core | CPU ms / 1000 deliveries | SQL / delivery | load avg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const h = r.histogram;
    lines.push(
      `| ${TARGET_LABELS[r.name]} | ${r.subscribers} | ${(r.emitted / r.driveSeconds).toFixed(1)} | ` +
        `${(r.received / r.driveSeconds).toFixed(0)} | ${h.percentile(50)} | ${h.percentile(99)} | ${h.max()} | ` +
        `${r.expected} | ${r.received} | ${r.expected - r.received} | ${kb(r.rssPerConnection)} | ${kb(r.heapPerConnection)} | ` +
        `${((r.cpuMs / r.wallMs) * 100).toFixed(0)} | ${r.received ? ((r.cpuMs / r.received) * 1000).toFixed(0) : '-'} | ` +
        `${r.received ? (r.statements / r.received).toFixed(1) : '-'} | ${r.loadAverage.toFixed(1)} |`,
    );
  }
  lines.push('');
  for (const r of results) {
    if (r.name === 'bare') continue;
    const p99 = r.histogram.percentile(99);
    const rateHeld = r.emitted / r.driveSeconds >= run.rate * 0.98;
    const met =
      r.subscribers >= SUBSCRIBER_GOAL &&
      rateHeld &&
      p99 < P99_GOAL_MS &&
      r.received === r.expected;
    lines.push(
      `goal (${SUBSCRIBER_GOAL} subscribers, p99 < ${P99_GOAL_MS} ms, no loss, the rate held) for ${TARGET_LABELS[r.name]}: ` +
        `${met ? 'met' : 'NOT met'} (p99 ${p99} ms, ${r.expected - r.received} lost, event source ${r.driveLagMs} ms behind at worst)`,
    );
  }
  return lines.join('\n');
}
