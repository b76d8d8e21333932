import nodemailer, { type SMTPPoolOptions } from 'nodemailer';

/** One message of the baseline: what the plugin's email channel hands nodemailer. */
export interface BaselineMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * The baseline: nodemailer sending `messages` straight to the SMTP peer with the transport the
 * plugin's email channel builds (`emailChannel` in `@caregraph/plugin-engagement`: a pool of 5
 * connections, 100 messages each before renewal, `security: none`), keeping `inFlight`
 * `sendMail` calls outstanding so the pool is never idle. Resolves with the seconds it took.
 */
export async function sendWithNodemailer(
  port: number,
  from: string,
  messages: readonly BaselineMessage[],
  inFlight = 100,
): Promise<number> {
  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: false,
    ignoreTLS: true,
    maxConnections: 5,
    maxMessages: 100,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  const transport = nodemailer.createTransport(options);
  const started = process.hrtime.bigint();
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const message = messages[next++]!;
      await transport.sendMail({ from, ...message, messageId: `<baseline-${next}@bench.example>` });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, messages.length) }, lane));
  } finally {
    transport.close();
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}
