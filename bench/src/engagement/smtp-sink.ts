import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { runIfMain, serveBenchChild } from '../shared/child-process.js';

/**
 * The SMTP peer of the engagement benchmark, in a process of its own: a real SMTP server
 * (smtp-server, set up as the plugin's tests set theirs: no auth required, no STARTTLS) that
 * reads each message to its end and counts it. `count` answers how many it has accepted.
 */
async function main(): Promise<void> {
  let accepted = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // The pools of both targets stay connected through the run.
    maxClients: 1_000,
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('end', () => {
        accepted += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  serveBenchChild({ port }, () => new Promise<void>((done) => server.close(() => done())), {
    count: () => ({ accepted, bytes }),
  });
}

runIfMain(import.meta.url, main);
