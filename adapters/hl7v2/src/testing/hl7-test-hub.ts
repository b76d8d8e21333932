import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { withConfig, type PluginDefinition, type PluginRegistration } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import type { Hl7v2ConfigInput } from '../config.js';
import { parseMessage } from '../message/index.js';
import type { Hl7Message } from '../message/types.js';
import { MllpClient } from '../mllp/index.js';
import { hl7v2 } from '../plugin.js';

/** A free TCP port on loopback (the listener binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A test hub running the HL7 adapter on a real MLLP port, and a client for it. */
export interface Hl7TestHub {
  hub: PluginTestHub;
  port: number;
  tenantId: string;
  /** The integration account the adapter acts as. */
  integrationUserId: string;
  /** Sends one message over a fresh connection and returns the parsed ACK. */
  send(message: string | Buffer): Promise<Hl7Message>;
  /** A connection of its own (the caller closes it). */
  connect(): Promise<MllpClient>;
  stop(): Promise<void>;
}

/**
 * Boots a test hub with the adapter listening on a free port of 127.0.0.1. `companions` adds
 * plugins built from the adapter's full config (e.g. a probe that runs adapter parts itself).
 */
export async function startHl7TestHub(
  config: Partial<Omit<Hl7v2ConfigInput, 'listen'>> & {
    /** Listener options (the port is chosen here), or `false` for no listener. */
    listen?: Partial<Exclude<Hl7v2ConfigInput['listen'], false | undefined>> | false;
    /** Other plugins to register beside the adapter. */
    extraPlugins?: (PluginDefinition | PluginRegistration)[];
    /** Hub config overrides (e.g. `{ retentionYears: 1 }`). */
    hubConfig?: Record<string, unknown>;
  } = {},
  companions: (config: Hl7v2ConfigInput) => PluginRegistration[] = () => [],
): Promise<Hl7TestHub> {
  const tenantId = randomUUID();
  const integrationUserId = randomUUID();
  const port = await freePort();
  const { extraPlugins = [], hubConfig, ...adapterConfig } = config;
  const full: Hl7v2ConfigInput = {
    tenantId,
    integrationUserId,
    ...adapterConfig,
    listen:
      adapterConfig.listen === false
        ? false
        : { idleTimeoutSeconds: 60, ...adapterConfig.listen, port },
  };
  const hub = await createTestHub({
    plugins: [withConfig(hl7v2, full), ...extraPlugins, ...companions(full)],
    seed: { tenantId, integrationUserId },
    config: hubConfig,
  });
  await hub.waitForState('hl7v2', 'running');
  const connect = () => MllpClient.connect({ port });
  return {
    hub,
    port,
    tenantId,
    integrationUserId,
    connect,
    async send(message) {
      const client = await connect();
      try {
        return parseMessage(await client.send(message, { timeoutMs: 20_000 }));
      } finally {
        await client.close();
      }
    },
    stop: () => hub.stop(),
  };
}
