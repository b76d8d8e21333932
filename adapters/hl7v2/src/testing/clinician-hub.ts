import { randomUUID } from 'node:crypto';
import { withConfig } from '@caregraph/plugin-sdk';
import { Practitioner, User, UserKind, type Role } from '@caregraph/schema';
// Test support only: access tests need users holding chosen roles (a physician who also runs the
// interface) and the privacy office's audit queries (X-Purpose-Of-Use: HCOMPL), which the sdk's
// test kit (a role's first demo user, no headers) does not offer; so they boot the hub through
// core's test kit. The adapter's runtime code never imports core (.dependency-cruiser.cjs).
import { mintDevToken } from '@caregraph/core';
import { createTestHub, type TestHub } from '@caregraph/core/testing';
import { parseMessage } from '../message/index.js';
import type { Hl7Message } from '../message/types.js';
import { MllpClient } from '../mllp/index.js';
import { hl7v2 } from '../plugin.js';
import { freePort } from './hl7-test-hub.js';

/** A test hub of core's kit running the HL7 adapter on a real MLLP port. */
export interface Hl7ClinicianHub {
  t: TestHub;
  /** Sends one message over a fresh connection and returns the parsed ACK. */
  send(message: string): Promise<Hl7Message>;
  /**
   * Creates an active user of the tenant holding exactly `roles` (acting as `practitionerId`,
   * so with that practitioner's care relationships) and returns its dev token.
   */
  userWith(roles: Role[], practitionerId?: string): Promise<{ userId: string; token: string }>;
  stop(): Promise<void>;
}

async function untilRunning(t: TestHub, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!t.hub.plugins.host.statuses().some((s) => s.id === 'hl7v2' && s.state === 'running')) {
    if (Date.now() > deadline) throw new Error('the hl7v2 plugin did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Boots a hub (seeded demo clinic, PGlite or the test PostgreSQL) with the adapter listening. */
export async function startHl7ClinicianHub(): Promise<Hl7ClinicianHub> {
  const tenantId = randomUUID();
  const integrationUserId = randomUUID();
  const port = await freePort();
  const t = await createTestHub({
    plugins: [
      withConfig(hl7v2, {
        tenantId,
        integrationUserId,
        listen: { port, idleTimeoutSeconds: 60 },
      }),
    ],
    seedIds: { tenantId, integrationUserId },
  });
  await untilRunning(t);
  return {
    t,
    async send(message) {
      const client = await MllpClient.connect({ port });
      try {
        return parseMessage(await client.send(message, { timeoutMs: 20_000 }));
      } finally {
        await client.close();
      }
    },
    userWith: (roles, practitionerId) =>
      t.inTenant(async (em) => {
        const user = em.create(User, {
          tenantId,
          email: `${roles.join('-')}-${randomUUID().slice(0, 8)}@hl7-documents.example`,
          displayName: `Test ${roles.join(', ')}`,
          kind: practitionerId ? UserKind.PRACTITIONER : UserKind.STAFF,
          roles,
          practitioner: practitionerId ? em.getReference(Practitioner, practitionerId) : undefined,
        });
        await em.flush();
        const token = await mintDevToken(t.hub.devSigningKey!, { userId: user.id, tenantId }, '1h');
        return { userId: user.id, token };
      }),
    stop: () => t.stop(),
  };
}
