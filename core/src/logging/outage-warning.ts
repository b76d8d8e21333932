import type { Logger } from './logger.js';

/** How often an outage is logged while it lasts. */
const DEFAULT_INTERVAL_MS = 30_000;

/**
 * Warns that a dependency (Redis) is unavailable at most once per interval while the outage
 * lasts, with the error's name and message only: a reconnecting client reports every attempt.
 */
export class OutageWarning {
  private lastReport = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  report(error: Error): void {
    const now = Date.now();
    if (now - this.lastReport < this.intervalMs) return;
    this.lastReport = now;
    this.logger.warn({ err: { name: error.name, message: error.message } }, this.message);
  }

  /** The dependency answers again: true when an outage had been reported. */
  clear(): boolean {
    const reported = this.lastReport !== 0;
    this.lastReport = 0;
    return reported;
  }
}
