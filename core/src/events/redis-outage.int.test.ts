import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { CareEventType, Role, User, type CareEventMessage } from '@caregraph/schema';
import { createLogger } from '../logging/logger.js';
import { careTeamSplit } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { openSubscription } from '../testing/subscription-client.js';
import { RedisEventBus } from './redis-event-bus.js';
import { until } from '../testing/eventually.js';

// Issue #4: while Redis is down, events wait in the outbox; when it is back they are published,
// and each reaches the subscriber once. The suite runs a Redis server of its own (on a free
// port) so that it can stop and start it.

const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const FEED = `subscription { careTeamFeed { id subject { ... on Task { id } } } }`;

let t: TestHub;
let redis: ChildProcess | undefined;
let port: number;
let member: { userId: string; patientId: string };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  redis = child;
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

async function createTask(title: string): Promise<string> {
  const res = await t.graphql<{ createTask: { id: string } }>(
    CREATE_TASK,
    { input: { patientId: member.patientId, title } },
    { role: Role.PHYSICIAN },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createTask.id;
}

async function publishedAt(taskId: string): Promise<Date | null | undefined> {
  const [row] = await t.sql<{ published_at: Date | null }>(
    `select published_at from outbox_event where payload->'subject'->>'id' = ?`,
    [taskId],
  );
  return row?.published_at;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  t = await createTestHub({
    config: {
      redisUrl: `redis://127.0.0.1:${port}`,
      eventChannel: `caregraph-test:${randomUUID()}`,
      eventRelayPollMs: 100,
    },
  });
  const split = await careTeamSplit(t);
  const user = await t.inTenant((em) =>
    em.findOneOrFail(User, { practitioner: split.practitionerId, active: true }),
  );
  member = { userId: user.id, patientId: split.onTeam[0]! };
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await stopRedis();
});

describe('the Redis event bus when Redis goes down', () => {
  it('keeps events in the outbox while Redis is down and delivers each once when it is back', async () => {
    const feed = await openSubscription<{ id: string; subject: { id: string } }>(
      t,
      await t.token({ userId: member.userId }),
      FEED,
    );
    const before = await createTask('Before the outage');
    await feed.waitFor(1);

    await stopRedis();
    const during = await createTask('During the outage');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await publishedAt(during)).toBeNull();
    expect(feed.events).toHaveLength(1);

    await startRedis();
    await feed.waitFor(2, 20_000);
    await until(async () => !!(await publishedAt(during)), 'the waiting event to be published');
    const after = await createTask('After the outage');
    await feed.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(feed.errors).toEqual([]);
    expect(feed.events.map((e) => e.subject.id)).toEqual([before, during, after]);
    await feed.close();
  });
});

describe('the Redis event bus started while Redis is down', () => {
  it('refuses to publish until Redis answers, then delivers to its subscribers', async () => {
    await stopRedis();
    const bus = new RedisEventBus(
      `redis://127.0.0.1:${port}`,
      createLogger({ level: 'silent' }),
      `caregraph-test:${randomUUID()}`,
    );
    const abort = new AbortController();
    try {
      await bus.start();
      const event: CareEventMessage = {
        id: randomUUID(),
        tenantId: t.seed.tenantId,
        type: CareEventType.TASK_ASSIGNED,
        occurredAt: new Date().toISOString(),
        patientId: member.patientId,
        summary: 'Task assigned',
        subject: { type: 'Task', id: randomUUID() },
        position: 1,
      };
      await expect(bus.publish(event)).rejects.toThrow('not connected');
      await startRedis();
      const received = bus.subscribe(t.seed.tenantId, abort.signal)[Symbol.asyncIterator]();
      await until(
        () =>
          bus.publish(event).then(
            () => true,
            () => false,
          ),
        'the bus to accept an event',
      );
      expect((await received.next()).value).toEqual(event);
    } finally {
      abort.abort();
      await bus.close();
    }
  });
});
