/** How often the waits poll. */
const POLL_MS = 20;

/**
 * Polls `check` every 20 ms until it returns something other than `undefined` (that value), or
 * throws after `timeoutMs`, naming `what`. For tests that wait on the hub's background work.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits until `condition` holds (polling like `eventually`); the timeout error names `what`. */
export async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), timeoutMs, what);
}
