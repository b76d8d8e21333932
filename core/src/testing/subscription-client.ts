import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestHub } from './create-test-hub.js';

/** A live subscription opened by a test, collecting what it receives. */
export interface TestSubscription<T> {
  events: T[];
  errors: unknown[];
  /** Resolves once `count` events have arrived; rejects after `ms`. */
  waitFor(count: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a graphql-ws subscription on the hub over a real WebSocket, with the token (and
 * optional connection parameters such as `X-Purpose-Of-Use`). Resolves once the server has
 * acknowledged the connection.
 */
export async function openSubscription<T = Record<string, unknown>>(
  t: Pick<TestHub, 'url'>,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, string> = {},
): Promise<TestSubscription<T>> {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client: Client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}`, ...connectionParams },
    retryAttempts: 0,
    lazy: true,
    on: { connected: () => connected() },
  });
  const events: T[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) events.push(Object.values(result.data)[0] as T);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  await ready;
  // The subscribe message goes out right after the acknowledgement; give the server its turn.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    events,
    errors,
    async waitFor(count, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (events.length < count) {
        if (errors.length) throw new Error(`subscription errors: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline)
          throw new Error(`expected ${count} events, got ${events.length} after ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      stop();
      await client.dispose();
    },
  };
}
