import { eventually } from '@caregraph/core/testing';

export { eventually, until } from '@caregraph/core/testing';

/**
 * Polls `probe` (core's `eventually`) until it gives something other than `undefined` or
 * `false`, and returns that; the timeout error names `what`.
 */
export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  return eventually(
    async () => {
      const value = await probe();
      return value === false ? undefined : value;
    },
    timeoutMs,
    what,
  );
}
