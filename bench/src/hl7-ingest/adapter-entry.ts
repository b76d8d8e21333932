import type { PluginDefinition } from '@caregraph/plugin-sdk';

/**
 * What hl7-ingest uses of `@caregraph/adapter-hl7v2`: the plugin (`hl7v2`), the MLLP client and
 * the parser (to read ACKs) and the mapping (the parse + map
 * figure). The adapter's package entry does not export them yet (its
 * `index.ts` is a stub "filled in by its modules"), and its `exports` map closes its `dist/`
 * files to deep imports. Until it does, they are loaded at run time from the files beside the
 * resolved entry, and typed here by the small surface the benchmark calls. When the entry
 * exports them, this module becomes four re-exports.
 */

/** One MLLP connection (the adapter's `MllpClient`). */
export interface MllpConnection {
  send(payload: string | Buffer, options?: { timeoutMs?: number }): Promise<Buffer>;
  close(options?: { timeoutMs?: number }): Promise<void>;
  destroy(): void;
}

/** The adapter's `MllpClient` class, as far as the benchmark uses it. */
export interface MllpClientClass {
  connect(options: { host?: string; port: number; keepAlive?: boolean }): Promise<MllpConnection>;
}

/** A parsed message (the adapter's `Hl7Message`), as far as the benchmark reads ACKs. */
export interface ParsedAck {
  get(path: string): string | null | undefined;
}

/** The modules of the adapter the benchmark loads. */
export interface Hl7Adapter {
  hl7v2: PluginDefinition;
  MllpClient: MllpClientClass;
  parseMessage(input: Buffer | string): ParsedAck;
  /** The adapter's mapping of a parsed message to a record (pure). */
  mapMessage(message: ParsedAck, options?: { defaultTimeZone?: string }): { kind: string };
}

let loaded: Promise<Hl7Adapter> | undefined;

/** Loads the adapter's plugin, MLLP client and parser from its built `dist/`. */
export function loadHl7Adapter(): Promise<Hl7Adapter> {
  loaded ??= (async () => {
    const entry = import.meta.resolve('@caregraph/adapter-hl7v2');
    const load = (file: string) =>
      import(new URL(file, entry).href) as Promise<Record<string, unknown>>;
    const [plugin, mllp, message, mappings] = await Promise.all([
      load('./plugin.js'),
      load('./mllp/index.js'),
      load('./message/index.js'),
      load('./mappings/index.js'),
    ]);
    if (!plugin.hl7v2 || !mllp.MllpClient || !message.parseMessage || !mappings.mapMessage)
      throw new Error(
        '@caregraph/adapter-hl7v2 has moved its plugin, MllpClient, parseMessage or mapMessage',
      );
    return {
      hl7v2: plugin.hl7v2 as PluginDefinition,
      MllpClient: mllp.MllpClient as MllpClientClass,
      parseMessage: message.parseMessage as Hl7Adapter['parseMessage'],
      mapMessage: mappings.mapMessage as Hl7Adapter['mapMessage'],
    };
  })();
  return loaded;
}
