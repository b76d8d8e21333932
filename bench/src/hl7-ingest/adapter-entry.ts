import { hl7v2, mapMessage, MllpClient, parseMessage } from '@caregraph/adapter-hl7v2';

/** One MLLP connection (the adapter's client). */
export type MllpConnection = MllpClient;

/** What hl7-ingest uses of `@caregraph/adapter-hl7v2`. */
export interface Hl7Adapter {
  hl7v2: typeof hl7v2;
  MllpClient: typeof MllpClient;
  parseMessage: typeof parseMessage;
  mapMessage: typeof mapMessage;
}

const adapter: Hl7Adapter = { hl7v2, MllpClient, parseMessage, mapMessage };

/** The adapter's plugin, MLLP client, parser and mapping, as the targets receive them. */
export async function loadHl7Adapter(): Promise<Hl7Adapter> {
  return adapter;
}
