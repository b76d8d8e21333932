import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { TASK_ASSIGNED_SUMMARY } from './feed-query.js';
import { TASK_DESCRIPTION, TASK_TITLE, type EventTarget } from './generate.js';

/** The part of CareGraph's schema the feed subscription selects, with the same names. */
const SDL = /* GraphQL */ `
  type HumanName {
    text: String!
  }
  type Patient {
    id: ID!
    name: HumanName
  }
  enum TaskStatus {
    REQUESTED
  }
  type Task {
    id: ID!
    title: String!
    description: String
    status: TaskStatus!
  }
  union CareEventSubject = Task
  enum CareEventType {
    TASK_ASSIGNED
  }
  type CareEvent {
    id: ID!
    type: CareEventType!
    occurredAt: String!
    summary: String!
    patient: Patient
    subject: CareEventSubject
  }
  type Query {
    ok: Boolean
  }
  type Subscription {
    careTeamFeed(after: ID): CareEvent
  }
`;

type FeedValue = { careTeamFeed: Record<string, unknown> };

/** One subscriber's queue: pushed by `publish`, pulled by graphql-ws. */
class PushIterator implements AsyncIterableIterator<FeedValue> {
  private readonly queue: FeedValue[] = [];
  private waiting?: (result: IteratorResult<FeedValue>) => void;
  private done = false;

  constructor(private readonly onClose: () => void) {}

  push(value: FeedValue): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
    } else this.queue.push(value);
  }

  next(): Promise<IteratorResult<FeedValue>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<FeedValue>> {
    this.done = true;
    this.onClose();
    this.waiting?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** The bare server: what its run script needs. */
export interface BareServer {
  url: string;
  /** Loads the patients' names for the events the driver will push. */
  load(targets: EventTarget[]): Promise<void>;
  /** Pushes one event about `target` to every subscriber of its team. */
  publish(target: EventTarget): void;
  stop(): Promise<void>;
}

/**
 * The baseline: graphql-ws `useServer` over `ws` and graphql-js, no authentication, no outbox,
 * no per-receiver checks. A client names its team in the connection params (`team`); an event
 * is pushed straight into the queues of that team's subscriptions, with the payload CareGraph
 * sends (patient names read from the database once, at load).
 */
export async function startBareServer(databaseUrl: string): Promise<BareServer> {
  const teams = new Map<number, Set<PushIterator>>();
  const names = new Map<string, string>();
  const schema = buildSchema(SDL);
  const httpServer = createServer((_req, res) => res.writeHead(404).end());
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const roots = {
    subscription: {
      careTeamFeed: (_args: unknown, context: { team: number }) => {
        const subscribers = teams.get(context.team) ?? new Set<PushIterator>();
        teams.set(context.team, subscribers);
        const iterator: PushIterator = new PushIterator(() => subscribers.delete(iterator));
        subscribers.add(iterator);
        return iterator;
      },
    },
  };
  const cleanup = useServer(
    {
      schema,
      roots,
      context: (ctx) => ({ team: Number(ctx.connectionParams?.team) }),
    },
    wsServer,
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    async load(targets) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        type Name = { prefix?: string[]; given?: string[]; family?: string; suffix?: string[] };
        const rows = await client.query<{ id: string; name: Name }>(
          `select id, names->0 as name from patient where id = any($1::uuid[])`,
          [targets.map((t) => t.patientId)],
        );
        // As HumanName.text() renders it.
        for (const { id, name } of rows.rows)
          names.set(
            id,
            [...(name.prefix ?? []), ...(name.given ?? []), name.family, ...(name.suffix ?? [])]
              .filter(Boolean)
              .join(' '),
          );
      } finally {
        await client.end();
      }
    },
    publish(target) {
      const value: FeedValue = {
        careTeamFeed: {
          id: crypto.randomUUID(),
          type: 'TASK_ASSIGNED',
          occurredAt: new Date().toISOString(),
          summary: TASK_ASSIGNED_SUMMARY,
          patient: { id: target.patientId, name: { text: names.get(target.patientId) } },
          subject: {
            __typename: 'Task',
            id: target.taskId,
            title: TASK_TITLE,
            description: TASK_DESCRIPTION,
            status: 'REQUESTED',
          },
        },
      };
      for (const subscriber of teams.get(target.team) ?? []) subscriber.push(value);
    },
    async stop() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
