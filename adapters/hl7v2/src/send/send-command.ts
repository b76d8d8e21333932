import type { PluginCommand } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { listImportFiles, readImportFile } from '../import/import-files.js';
import { ackPlan, parseMessage, splitLines } from '../message/index.js';
import { DEFAULT_MLLP_HOST, DEFAULT_MLLP_PORT, MllpClient } from '../mllp/index.js';

/** How long `hl7 send` waits for each ACK. */
const ACK_TIMEOUT_MS = 30_000;

/** ACK codes (MSA-1) that mean the receiver took the message. */
const ACCEPTED = new Set(['AA', 'CA']);

/**
 * Where `hl7 send` connects by default: the adapter's own listener (loopback when it binds every
 * interface), or 127.0.0.1:2575 when the config runs none.
 */
function defaultTarget(config: Hl7v2Config): { host: string; port: number } {
  if (!config.listen) return { host: DEFAULT_MLLP_HOST, port: DEFAULT_MLLP_PORT };
  const { host, port } = config.listen;
  return { host: host === '0.0.0.0' || host === '::' ? DEFAULT_MLLP_HOST : host, port };
}

/**
 * How many ACK frames a message gets when it is taken: one (original mode, or an unreadable header
 * that the receiver answers AR), or what MSH-15/16 ask for in enhanced mode.
 */
function expectedAcks(message: string): number {
  let plan;
  try {
    plan = ackPlan(parseMessage(message).header);
  } catch {
    return 1;
  }
  return (plan.commit(true) ? 1 : 0) + (plan.application(true) ? 1 : 0);
}

/**
 * `caregraph hl7 send <path> [--host H] [--port P]`: an MLLP client. Sends every message of a file
 * (or of a directory's `*.hl7`/`*.txt` files, batches included) over one connection, in order,
 * and prints each ACK as received. Standalone: it opens no database, so it works beside a hub
 * serving on the embedded database. Exit code 1 when an ACK is not AA/CA or a message was not
 * sent (interrupted, or asking for no ACK).
 */
export const sendCommand: PluginCommand = {
  name: 'hl7 send',
  description:
    'send the HL7 v2 messages of a file (or a directory of *.hl7/*.txt files) to an MLLP listener and print the ACKs',
  arguments: [{ name: 'path', description: 'a file, or a directory of *.hl7 / *.txt files' }],
  options: [
    {
      name: 'host',
      description: 'the listener\'s host (default: the adapter\'s "listen")',
      takesValue: true,
    },
    {
      name: 'port',
      description: 'the listener\'s port (default: the adapter\'s "listen")',
      takesValue: true,
    },
  ],
  standalone: true,
  async run(args, options, ctx, io) {
    const target = defaultTarget(ctx.config as Hl7v2Config);
    if (typeof options.host === 'string') target.host = options.host;
    // An invalid port is refused by the client (CG_ERR_MLLP_INVALID_OPTIONS).
    if (typeof options.port === 'string') target.port = Number(options.port);
    const messages: string[] = [];
    for (const file of await listImportFiles(args.path!))
      messages.push(...(await readImportFile(file)).messages);
    const client = await MllpClient.connect(target);
    let refused = 0;
    let skipped = 0;
    let sent = 0;
    try {
      for (const message of messages) {
        if (io.signal.aborted) break;
        const number = ++sent;
        const expected = expectedAcks(message);
        if (!expected) {
          io.log(`message ${number}: not sent: it asks for no acknowledgement (MSH-15/16 NE)`);
          skipped++;
          continue;
        }
        const acks = await client.sendExpecting(message, expected, { timeoutMs: ACK_TIMEOUT_MS });
        for (const ack of acks) {
          const parsed = parseMessage(ack);
          const code = parsed.get('MSA-1') ?? '';
          if (!ACCEPTED.has(code)) refused++;
          io.log(`message ${number}: ${code || 'no MSA-1'}`);
          for (const line of splitLines(ack.toString('utf8'))) if (line) io.log(`  ${line}`);
        }
      }
    } finally {
      await client.close();
    }
    const delivered = sent - skipped;
    io.log(
      `Sent ${delivered} of ${messages.length} messages to ${target.host}:${target.port}: ${refused} not accepted.`,
    );
    return refused || delivered < messages.length ? 1 : 0;
  },
};
