import { createHash } from 'node:crypto';
import nodemailer, { type NodemailerError, type SMTPPoolOptions } from 'nodemailer';
import type { DeliveryChannel, OutgoingMessage, SendReceipt } from './channel.js';
import { DeliveryError } from './delivery-error.js';

/** How the connection to the SMTP server is secured. */
export type SmtpSecurity =
  /** Plain connection upgraded with STARTTLS; refused when the server does not offer it. */
  | 'starttls'
  /** TLS from the first byte (SMTPS, usually port 465). */
  | 'tls'
  /** No encryption, not even when offered: only for a relay on the same host. */
  | 'none';

/** The email channel's settings (the plugin config's `channels.email`). */
export interface EmailChannelConfig {
  host: string;
  port: number;
  /** Default `starttls`. */
  security?: SmtpSecurity;
  auth?: { user: string; pass: string };
  /** The sender, e.g. `"Clinic" <noreply@clinic.example>`. */
  from: string;
  /** The domain of generated Message-IDs; default: the domain of `from`. */
  messageIdDomain?: string;
  /** PEM certificates to trust besides the system's (a private CA). */
  ca?: string | string[];
  /** Pooled connections (default 5) and messages per connection before it is renewed (100). */
  maxConnections?: number;
  maxMessages?: number;
  /** Connect, greeting and idle-socket timeouts in ms (defaults 10 000, 10 000, 30 000). */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

const CHANNEL = 'email';

/**
 * The Message-ID of a send, derived from its idempotency key: a retried send carries the same
 * one, so the server, the recipient's client and the bounce handling can recognise it. Hashed,
 * so the key's parts (an appointment id) do not show in the header.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${digest}@${domain}>`;
}

function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  if (!match) throw DeliveryError.misconfigured(CHANNEL, 'from: expected name@domain');
  return match[1]!;
}

/** The SMTP reply's enhanced status code (`5.1.1`), which names a reason but no address. */
function enhancedStatus(response: string | undefined): string | undefined {
  return /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1];
}

/** Maps a nodemailer error to a delivery error: 4xx retryable, 5xx (a bounce) permanent. */
export function classifySmtpError(error: unknown): DeliveryError {
  const failure = error as NodemailerError & { originalCode?: string };
  const code = failure.code ?? 'unknown';
  const status = failure.responseCode;
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return DeliveryError.misconfigured(CHANNEL, 'auth', status ? { status } : {});
  // STARTTLS required but refused by the server: sending in clear text would not be allowed either.
  if ((code === 'ETLS' && status !== undefined) || code === 'EREQUIRETLS' || code === 'ECONFIG')
    return DeliveryError.misconfigured(CHANNEL, code, status ? { status } : {});
  if (typeof status === 'number' && status >= 400) {
    const enhanced = enhancedStatus(failure.response);
    const details = {
      ...(failure.command ? { command: failure.command } : {}),
      ...(enhanced ? { enhancedStatus: enhanced } : {}),
    };
    // nodemailer's `permanent`: every 5xx but 503 (bad sequence: a new connection may succeed).
    return status < 500 || failure.permanent === false
      ? DeliveryError.deferred(CHANNEL, status, details)
      : DeliveryError.rejected(CHANNEL, status, details);
  }
  if (code === 'ETIMEDOUT') return DeliveryError.timeout(CHANNEL, undefined, error);
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return DeliveryError.rejected(CHANNEL, code);
  // ECONNECTION, ESOCKET, EDNS, ETLS (handshake), EPROXY, EMAXLIMIT: the server is out of reach;
  // `originalCode` is the system or TLS reason (ECONNREFUSED, CERT_HAS_EXPIRED).
  const reason = failure.originalCode ? `${code}: ${failure.originalCode}` : code;
  return DeliveryError.unavailable(CHANNEL, reason, error);
}

/**
 * Email over SMTP with nodemailer: a pool of connections, STARTTLS or TLS, optional auth. Each
 * message's Message-ID is derived from its idempotency key; the receipt names that Message-ID.
 */
export function emailChannel(config: EmailChannelConfig): DeliveryChannel {
  const security = config.security ?? 'starttls';
  const messageIdDomain = config.messageIdDomain ?? domainOf(config.from);
  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    host: config.host,
    port: config.port,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'none',
    maxConnections: config.maxConnections ?? 5,
    maxMessages: config.maxMessages ?? 100,
    connectionTimeout: config.connectionTimeoutMs ?? 10_000,
    greetingTimeout: config.greetingTimeoutMs ?? 10_000,
    socketTimeout: config.socketTimeoutMs ?? 30_000,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    ...(config.ca ? { tls: { ca: config.ca } } : {}),
  };
  const transport = nodemailer.createTransport(options);
  let closed = false;

  return {
    name: CHANNEL,
    async send(message: OutgoingMessage): Promise<SendReceipt> {
      if (closed) throw DeliveryError.closed(CHANNEL);
      const messageId = messageIdFor(message.idempotencyKey, messageIdDomain);
      try {
        await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          messageId,
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
      return { providerMessageId: messageId };
    },
    async close() {
      closed = true;
      transport.close();
    },
  };
}
