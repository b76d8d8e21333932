import autocannon, { type AutocannonRequest } from 'autocannon';
import { chartRequestBody } from './chart-query.js';
import type { TargetReady } from './target-process.js';

/** One measured load run. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  /** Transport errors, timeouts, non-2xx responses and bodies with GraphQL errors. */
  failures: number;
  /** CPU time (user + system, µs) the server process used during the measurement. */
  cpuMicros?: number;
}

/** Load options. */
export interface LoadOptions {
  connections: number;
  duration: number;
  patientIds: string[];
}

/**
 * Runs autocannon against a target: POSTs the chart query, each request for the next patient
 * of the rotating set. A body that carries `"errors"` counts as a failure.
 */
export async function loadTarget(target: TargetReady, options: LoadOptions): Promise<LoadResult> {
  let next = Math.floor(Math.random() * options.patientIds.length);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.authorization) headers.authorization = target.authorization;
  const request: AutocannonRequest = {
    method: 'POST',
    headers,
    setupRequest: (req) => {
      next = (next + 1) % options.patientIds.length;
      return { ...req, body: chartRequestBody(options.patientIds[next]) };
    },
  };
  const result = await autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.duration,
    timeout: 10,
    requests: [request],
    verifyBody: (body) => body.startsWith('{"data":{"patient":{') && !body.includes('"errors"'),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}

/**
 * One result for several rounds of the same target: throughput over the whole measured time,
 * the median of the rounds' p50 and the worst round's p99.
 */
export function combineRounds(rounds: readonly LoadResult[], secondsEach: number): LoadResult {
  if (rounds.length === 1) return rounds[0]!;
  const seconds = rounds.length * secondsEach;
  const total = rounds.reduce((sum, r) => sum + r.total, 0);
  const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
  return {
    requestsPerSecond: total / seconds,
    p50: p50s[Math.floor(p50s.length / 2)]!,
    p99: Math.max(...rounds.map((r) => r.p99)),
    total,
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    cpuMicros: rounds.every((r) => r.cpuMicros !== undefined)
      ? rounds.reduce((sum, r) => sum + r.cpuMicros!, 0)
      : undefined,
  };
}
