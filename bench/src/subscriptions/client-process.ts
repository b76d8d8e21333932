import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { runMain, serveBenchChild } from '../shared/child-process.js';
import { FEED_SUBSCRIPTION, type FeedEvent } from './feed-query.js';
import { LatencyHistogram } from './latency-histogram.js';

/**
 * A load client in its own process, forked by run.ts: opens graphql-ws subscriptions to
 * `careTeamFeed` (the official `graphql-ws` client over `ws`, one socket each) and measures
 * each event's commit-to-receipt latency (receipt time − `occurredAt`; same machine, same
 * clock). Requests (see `serveBenchChild`):
 * - `open` `{ subscribers: [{ key, url, token?, team }], concurrency }`: connects them, answers
 *   with the keys that connected;
 * - `reset` `{ since }`: from now count only events with `occurredAt >= since` (ms);
 * - `report`: the counts and latency histogram since the last reset;
 * - `close`: disposes every client.
 */

/** One subscription to open. */
export interface ClientSubscriber {
  key: number;
  /** The server's ws:// URL. */
  url: string;
  /** A CareGraph dev token; the bare server takes `team` instead. */
  token?: string;
  team: number;
}

/** What `report` answers. */
export interface ClientReport {
  received: number;
  /** GraphQL errors and socket errors after connecting. */
  errors: number;
  /** Subscriptions that received at least one counted event. */
  active: number;
  histogram: [number, number][];
  sampleError?: string;
  sample?: unknown;
}

const CONNECT_TIMEOUT_MS = 60_000;

let clients: Client[] = [];
let histogram = new LatencyHistogram();
let since = Number.POSITIVE_INFINITY;
let errors = 0;
let sampleError: string | undefined;
let sample: unknown;
let active = new Set<number>();

function onEvent(key: number, event: FeedEvent | undefined): void {
  if (!event) return;
  const occurred = Date.parse(event.occurredAt);
  if (occurred < since) return;
  histogram.record(Date.now() - occurred);
  active.add(key);
  sample ??= event;
}

function onError(error: unknown): void {
  errors++;
  sampleError ??= JSON.stringify(error instanceof Error ? error.message : error).slice(0, 300);
}

/** Opens one subscriber's socket and subscription; resolves true once acknowledged. */
function open(subscriber: ClientSubscriber): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS);
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    const client = createClient({
      url: subscriber.url,
      webSocketImpl: WebSocket,
      connectionParams: subscriber.token
        ? { authorization: `Bearer ${subscriber.token}` }
        : { team: subscriber.team },
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => settle(true),
        closed: () => settle(false),
        error: () => settle(false),
      },
    });
    clients.push(client);
    client.subscribe<{ careTeamFeed: FeedEvent }>(
      { query: FEED_SUBSCRIPTION },
      {
        next: (result) => {
          if (result.errors) onError(result.errors);
          onEvent(subscriber.key, result.data?.careTeamFeed);
        },
        error: onError,
        complete: () => undefined,
      },
    );
  });
}

async function openAll(body: unknown): Promise<number[]> {
  const { subscribers, concurrency } = body as {
    subscribers: ClientSubscriber[];
    concurrency: number;
  };
  const connected: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, subscribers.length) }, async () => {
      while (next < subscribers.length) {
        const subscriber = subscribers[next++]!;
        if (await open(subscriber)) connected.push(subscriber.key);
      }
    }),
  );
  return connected;
}

function report(): ClientReport {
  return {
    received: histogram.total,
    errors,
    active: active.size,
    histogram: histogram.toPairs(),
    sampleError,
    sample,
  };
}

function reset(body: unknown): void {
  since = (body as { since: number }).since;
  histogram = new LatencyHistogram();
  errors = 0;
  sampleError = undefined;
  sample = undefined;
  active = new Set();
}

async function closeAll(): Promise<void> {
  const closing = clients;
  clients = [];
  since = Number.POSITIVE_INFINITY;
  await Promise.all(closing.map((client) => client.dispose()));
}

async function main(): Promise<void> {
  serveBenchChild({}, closeAll, { open: openAll, reset, report, close: closeAll });
}

runMain(main);
