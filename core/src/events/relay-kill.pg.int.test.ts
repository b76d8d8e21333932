import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role, User } from '@caregraph/schema';
import { writeMasterKeyFile } from '../crypto/master-key-file.js';
import { careTeamSplit } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import {
  killCliProcesses,
  killHubProcess,
  runCli,
  startHubProcess,
  type HubProcess,
} from '../testing/hub-process.js';
import { openSubscription } from '../testing/subscription-client.js';
import { until } from '../testing/eventually.js';

// Issue #4 "a relay killed mid-stream loses nothing": an instance is killed with SIGKILL while
// its relay is in the middle of publishing acknowledged writes; the other instance publishes
// them, and a subscriber gets every event once. Two processes share one PostgreSQL database
// and Redis: a `*.pg.int.test.ts` suite runs in the PostgreSQL project only.

const redisUrl = process.env.CAREGRAPH_TEST_REDIS_URL!;
if (!redisUrl) {
  throw new Error(
    'set CAREGRAPH_TEST_REDIS_URL with CAREGRAPH_TEST_DATABASE_URL: two instances share Redis',
  );
}

const FEED = `subscription { careTeamFeed { id type subject { __typename ... on Task { id } } } }`;
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/**
 * A TCP relay to Redis that can stop forwarding what its clients send: a Redis that accepts
 * commands and never answers, so the relay behind it hangs in the middle of a batch.
 */
async function stallableRedis(target: URL): Promise<{ url: string; stall(): void; close(): void }> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    stall: () => (stalled = true),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('an instance killed mid-stream (SIGKILL)', () => {
  let a: TestHub;
  let killed: HubProcess | undefined;
  let redis: Awaited<ReturnType<typeof stallableRedis>>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'caregraph-kill-'));
    const masterKeyFile = join(dataDir, 'master-key');
    await writeMasterKeyFile(masterKeyFile);
    const eventChannel = `caregraph-test:${randomUUID()}`;
    a = await createTestHub({
      config: { masterKeyFile, redisUrl, eventChannel, eventRelayPollMs: 100 },
    });
    redis = await stallableRedis(new URL(redisUrl));
    killed = await startHubProcess({
      NODE_ENV: 'development',
      CAREGRAPH_LOG_LEVEL: 'silent',
      CAREGRAPH_DATA_DIR: dataDir,
      CAREGRAPH_DATABASE_URL: a.database.url!,
      CAREGRAPH_MASTER_KEY_FILE: masterKeyFile,
      CAREGRAPH_REDIS_URL: redis.url,
      CAREGRAPH_EVENT_CHANNEL: eventChannel,
      CAREGRAPH_RATE_LIMIT_ENABLED: 'off',
    });
  }, 180_000);

  afterAll(async () => {
    // The killed instance, and one still starting when a test timed out.
    await killCliProcesses();
    redis?.close();
    await a?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes from the surviving instance what the killed one had committed, each event once', async () => {
    const split = await careTeamSplit(a);
    const member = await a.inTenant((em) =>
      em.findOneOrFail(User, { practitioner: split.practitionerId, active: true }),
    );
    const feed = await openSubscription<{ subject: { id: string } }>(
      a,
      await a.token({ userId: member.id }),
      FEED,
    );
    const physician = await runCli(['token', '--role', Role.PHYSICIAN.toLowerCase()], {
      NODE_ENV: 'development',
      CAREGRAPH_DATA_DIR: dataDir,
      CAREGRAPH_DATABASE_URL: a.database.url!,
    });
    expect(physician.code).toBe(0);
    const createTask = async (title: string) => {
      const response = await fetch(killed!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${physician.stdout.trim()}`,
        },
        body: JSON.stringify({
          query: CREATE_TASK,
          variables: { input: { patientId: split.onTeam[0], title } },
        }),
      });
      const body = (await response.json()) as { data?: { createTask: { id: string } } };
      return body.data!.createTask.id;
    };

    // Through the instance that will be killed, and its relay, while Redis answers.
    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) acknowledged.push(await createTask(`Before the stall ${i}`));
    await feed.waitFor(3);

    // Its Redis stops answering: its relay hangs halfway through publishing the next writes,
    // which were acknowledged (committed) all the same.
    // (Concurrent, so they are all committed well within the bus's 10 s publish timeout, after
    // which the surviving instance could take the batch over before the kill.)
    redis.stall();
    const stalled = await Promise.all([0, 1, 2].map((i) => createTask(`During the stall ${i}`)));
    expect(feed.events).toHaveLength(3);

    await killHubProcess(killed!.child);
    killed = undefined;

    await feed.waitFor(6, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(feed.errors).toEqual([]);
    const received = feed.events.map((event) => event.subject.id);
    expect(received.slice(0, 3)).toEqual(acknowledged);
    expect(received.slice(3).sort()).toEqual([...stalled].sort());
    await until(
      async () =>
        (await a.sql(`select 1 from outbox_event where published_at is null`)).length === 0,
      'the outbox to be published',
    );
    await feed.close();
  }, 120_000);
});
