import type { CareGraphConfigInput } from './config-schema.js';

/** Types a `caregraph.config.ts` file; validation happens once at boot. */
export function defineConfig(config: CareGraphConfigInput): CareGraphConfigInput {
  return config;
}
