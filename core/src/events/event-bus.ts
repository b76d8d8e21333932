import { EventEmitter, on } from 'node:events';
import type { CareEventMessage } from '@caregraph/schema';

/** Publishes committed domain events and lets subscribers follow a tenant's stream. */
export interface EventBus {
  publish(event: CareEventMessage): Promise<void>;
  /** Events of one tenant, as they are published, until `signal` aborts. */
  subscribe(tenantId: string, signal: AbortSignal): AsyncIterable<CareEventMessage>;
  close(): Promise<void>;
}

/** Delivers events to subscribers in this process (the embedded default). */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async publish(event: CareEventMessage): Promise<void> {
    this.emitter.emit(`tenant:${event.tenantId}`, event);
  }

  async *subscribe(tenantId: string, signal: AbortSignal): AsyncIterable<CareEventMessage> {
    try {
      for await (const [event] of on(this.emitter, `tenant:${tenantId}`, { signal })) {
        yield event as CareEventMessage;
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
