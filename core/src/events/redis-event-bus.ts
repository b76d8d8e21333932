import { Redis } from 'ioredis';
import type { CareEventMessage } from '@caregraph/schema';
import type { Logger } from '../logging/logger.js';
import { OutageWarning } from '../logging/outage-warning.js';
import { FanoutEventBus } from './event-bus.js';
import type { EventAudience } from './event-audience.js';
import type { EventMetrics } from './event-metrics.js';

/** How long one publish may wait for Redis's answer. */
const PUBLISH_TIMEOUT_MS = 10_000;

/**
 * Redis pub/sub between gateway instances: every instance publishes the events its relay takes
 * from the outbox and fans every event it hears out to its own subscribers. Pub/sub keeps
 * nothing, so `publish` refuses (and the relay keeps the rows to retry) while either
 * connection is down; when the listening connection comes back, every local subscription gets
 * `BUS_GAP` and catches up from the outbox.
 */
export class RedisEventBus extends FanoutEventBus {
  private readonly publisher: Redis;
  private readonly listener: Redis;
  private readonly outage: OutageWarning;
  /** Subscribed to the channel on the current connection. */
  private listening = false;
  private everListened = false;

  constructor(
    url: string,
    private readonly logger: Logger,
    /** The pub/sub channel all instances of a deployment share (events carry their tenant). */
    private readonly channel: string,
    metrics?: EventMetrics,
    /** Routes each event to the subscriptions it can be for (default: all of them). */
    audience?: EventAudience,
  ) {
    super(metrics, audience);
    this.outage = new OutageWarning(
      logger,
      'event bus: Redis unavailable, events wait in the outbox',
    );
    const options = { connectTimeout: 2_000, lazyConnect: true };
    // Fail fast while disconnected: the outbox is the queue, not ioredis's memory.
    this.publisher = new Redis(url, {
      ...options,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // A Redis that takes commands and never answers fails the relay's batch (it retries)
      // instead of holding it, and the tenant's relay lock, for ever.
      commandTimeout: PUBLISH_TIMEOUT_MS,
    });
    this.listener = new Redis(url, options);
    for (const connection of [this.publisher, this.listener])
      connection.on('error', (error: Error) => this.outage.report(error));
    this.listener.on('message', (_channel: string, text: string) => this.hear(text));
    this.listener.on('ready', () => void this.listen());
    this.listener.on('close', () => (this.listening = false));
  }

  /** Connects both connections; the hub starts even while Redis is down (events wait). */
  async start(): Promise<void> {
    await Promise.all([
      this.publisher.connect().catch((error: Error) => this.outage.report(error)),
      this.listener.connect().catch((error: Error) => this.outage.report(error)),
    ]);
    await this.listen();
  }

  /**
   * Subscribes to the channel once the listening connection is (again) ready. After a
   * reconnection, local subscriptions may have missed events: they catch up from the outbox.
   */
  private async listen(): Promise<void> {
    if (this.listening || this.listener.status !== 'ready') return;
    try {
      await this.listener.subscribe(this.channel);
    } catch (error) {
      this.outage.report(error as Error);
      return;
    }
    if (this.listening) return;
    this.listening = true;
    this.outage.clear();
    if (this.everListened) {
      this.logger.info('event bus: Redis is back, subscribers catch up from the outbox');
      this.fanout.signalGap();
    }
    this.everListened = true;
  }

  async publish(event: CareEventMessage): Promise<void> {
    // An event published while this instance cannot hear it would be lost to its subscribers.
    if (!this.listening) throw new Error('event bus: Redis is not connected');
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  override async close(): Promise<void> {
    await super.close();
    for (const connection of [this.publisher, this.listener]) {
      connection.removeAllListeners('error');
      connection.on('error', () => {});
      if (connection.status === 'ready') await connection.quit().catch(() => undefined);
      connection.disconnect();
    }
  }

  private hear(text: string): void {
    try {
      this.fanout.deliver(JSON.parse(text) as CareEventMessage);
    } catch {
      this.logger.warn('event bus: ignored a malformed message');
    }
  }
}
