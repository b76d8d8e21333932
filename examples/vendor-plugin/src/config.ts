import { z } from 'zod';

/** A LOINC code: digits, a hyphen and a check digit (`8867-4`). */
export const LOINC_CODE = z.string().regex(/^\d{1,7}-\d$/, 'expected a LOINC code such as 8867-4');

/** When a reading of one code raises a DeviceAlert: above `above`, or below `below`. */
const threshold = z
  .object({ above: z.number().optional(), below: z.number().optional() })
  .refine((t) => t.above !== undefined || t.below !== undefined, 'set "above" or "below"');

/**
 * The plugin's config, validated by the hub at boot. A bad value stops the boot with
 * `CG_ERR_PLUGIN_INVALID_CONFIG` and the key's path (`plugins[0].config.secret`).
 */
export const wearableConfig = z.object({
  /** The HMAC-SHA256 key shared with the vendor; at least 32 characters. */
  secret: z.string().min(32, 'the shared secret needs at least 32 characters'),
  /** The tenant whose patients the vendor's devices belong to. */
  tenantId: z.uuid(),
  /** The tenant's integration account the plugin acts as (audited under its id). */
  integrationUserId: z.uuid(),
  /** Alert thresholds per LOINC code, e.g. `{ '8867-4': { above: 120 } }`. */
  thresholds: z.record(LOINC_CODE, threshold).default({}),
});

/** The validated config (`ctx.config`). */
export type WearableConfig = z.output<typeof wearableConfig>;

/** Whether `value` of `code` is past its configured threshold. */
export function isAlarming(config: WearableConfig, code: string, value: number): boolean {
  const limit = config.thresholds[code];
  if (!limit) return false;
  return (
    (limit.above !== undefined && value > limit.above) ||
    (limit.below !== undefined && value < limit.below)
  );
}
