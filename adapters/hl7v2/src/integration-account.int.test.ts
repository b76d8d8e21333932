/**
 * An adapter configured with an integration account that the tenant does not have (a data
 * directory seeded with other ids) fails to start with a message naming the setting, and opens
 * no listener; the hub keeps serving.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { hl7v2 } from './plugin.js';
import { freePort } from './testing/hl7-test-hub.js';

let hub: PluginTestHub;
let port: number;
const tenantId = randomUUID();
const integrationUserId = randomUUID();

beforeAll(async () => {
  port = await freePort();
  hub = await createTestHub({
    plugins: [withConfig(hl7v2, { tenantId, integrationUserId, listen: { port } })],
  });
});

afterAll(async () => {
  await hub?.stop();
});

it('fails to start naming the integration account and tenant, with no listener', async () => {
  const status = await hub.waitForState('hl7v2', 'failed');
  expect(status.message).toBe(
    `integrationUserId ${integrationUserId} is not an active user of tenant ${tenantId}: ` +
      'configure an existing integration account, or seed the tenant with these ids ' +
      '(caregraph seed --tenant-id … --integration-user-id …, or the config key seedIds).',
  );
  const refused = await new Promise<string | undefined>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
  expect(refused).toBe('ECONNREFUSED');
  expect((await hub.graphql('{ me { id } }')).errors?.[0]?.extensions?.code).toBe(
    'UNAUTHENTICATED',
  );
});
