/** The first retry waits this long; each further one twice as long as the one before. */
export const FIRST_RETRY_MS = 1_000;
/** The longest wait between two attempts. */
export const MAX_RETRY_MS = 5 * 60_000;

/**
 * The wait after failed attempt number `attempt` (1 for the first send): 1 s, 2 s, 4 s, …, at
 * most 5 minutes.
 */
export function retryDelayMs(attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  if (exponent >= 30) return MAX_RETRY_MS;
  return Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
}
