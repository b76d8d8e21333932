import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** Test support: a real SMTP server (smtp-server) that keeps what it receives. */

export interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
  secure: boolean;
  user: string | undefined;
}

export interface SmtpPeer {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** How the peer answers a message's DATA (the crash suite holds or refuses the reply). */
export interface SmtpPeerBehaviour {
  /**
   * Runs once a message's data has arrived, before the server answers it: the message is
   * accepted (250, kept in `received`) when this resolves, and refused with the error's
   * `responseCode` (not kept) when it rejects. Until it settles the client waits for its reply.
   */
  accept?(message: Received): Promise<void> | void;
}

/**
 * A real SMTP server on a free port; `options` override its handlers (to refuse mail),
 * `behaviour` decides each message's reply.
 */
export async function startSmtpServer(
  options: SMTPServerOptions = {},
  behaviour: SmtpPeerBehaviour = {},
): Promise<SmtpPeer> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const message: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
        };
        Promise.resolve(behaviour.accept?.(message)).then(
          () => {
            received.push(message);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
    ...options,
  });
  // A client that vanished mid-transaction (a killed hub) is the crash suite's normal case.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
