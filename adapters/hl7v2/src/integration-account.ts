import type { PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from './config.js';

/** The configured integration account is not an active user of the configured tenant. */
export class Hl7IntegrationAccountError extends Error {
  readonly code = 'CG_ERR_HL7_INTEGRATION_ACCOUNT';
  constructor(message: string) {
    super(message);
    this.name = 'Hl7IntegrationAccountError';
  }
}

/**
 * Checks, before the listener opens, that `integrationUserId` is an active user of `tenantId`:
 * otherwise every message would fail, and the hub's own words ("the token does not belong to an
 * active user") would not say which setting to fix.
 */
export async function checkIntegrationAccount(ctx: PluginContext<Hl7v2Config>): Promise<void> {
  const { tenantId, integrationUserId } = ctx.config;
  try {
    await ctx.inTenant({ tenantId, userId: integrationUserId }, async () => undefined);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'UNAUTHENTICATED') throw error;
    throw new Hl7IntegrationAccountError(
      `integrationUserId ${integrationUserId} is not an active user of tenant ${tenantId}: ` +
        'configure an existing integration account, or seed the tenant with these ids ' +
        '(caregraph seed --tenant-id … --integration-user-id …, or the config key seedIds).',
    );
  }
}
