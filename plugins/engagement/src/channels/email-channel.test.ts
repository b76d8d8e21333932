/**
 * Issue 6: the email channel against a real SMTP server (smtp-server) on a free port.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryChannel } from './channel.js';
import { DeliveryErrorCode } from './delivery-error.js';
import { emailChannel, messageIdFor, type EmailChannelConfig } from './email-channel.js';
import { startSmtpServer, type SmtpPeer } from '../testing/smtp-peer.js';
import { rejection } from '../testing/delivery-rejection.js';

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

const message = {
  to: 'patient@example.org',
  subject: 'Your appointment tomorrow',
  text: 'You have an appointment tomorrow at 09:30. Reply C to confirm.',
  html: '<p>You have an appointment tomorrow at 09:30.</p>',
  idempotencyKey: 'reminder:appt-1:24h',
};

let peer: SmtpPeer | undefined;
let channel: DeliveryChannel | undefined;

afterEach(async () => {
  await channel?.close();
  await peer?.close();
  channel = undefined;
  peer = undefined;
});

function channelTo(port: number, config: Partial<EmailChannelConfig> = {}): DeliveryChannel {
  channel = emailChannel({
    host: '127.0.0.1',
    port,
    security: 'none',
    from: '"Demo Clinic" <noreply@clinic.example>',
    connectionTimeoutMs: 2_000,
    ...config,
  });
  return channel;
}

it('delivers the subject, text and HTML bodies with a Message-ID derived from the idempotency key', async () => {
  peer = await startSmtpServer();
  const receipt = await channelTo(peer.port).send(message);

  expect(receipt.providerMessageId).toBe(messageIdFor(message.idempotencyKey, 'clinic.example'));
  expect(peer.received).toHaveLength(1);
  const [mail] = peer.received;
  expect(mail!.from).toBe('noreply@clinic.example');
  expect(mail!.to).toEqual(['patient@example.org']);
  expect(mail!.raw).toContain('Subject: Your appointment tomorrow');
  expect(mail!.raw).toContain(`Message-ID: ${receipt.providerMessageId}`);
  expect(mail!.raw).toContain('You have an appointment tomorrow at 09:30. Reply C to confirm.');
  expect(mail!.raw).toContain('<p>You have an appointment tomorrow at 09:30.</p>');
});

it('gives a retried send the same Message-ID, and another send a different one', async () => {
  peer = await startSmtpServer();
  const email = channelTo(peer.port);
  const first = await email.send(message);
  const retry = await email.send(message);
  const other = await email.send({ ...message, idempotencyKey: 'reminder:appt-1:2h' });

  expect(retry.providerMessageId).toBe(first.providerMessageId);
  expect(other.providerMessageId).not.toBe(first.providerMessageId);
  expect(first.providerMessageId).not.toContain('appt-1');
  expect(peer.received.map((mail) => /Message-ID: (\S+)/.exec(mail.raw)?.[1])).toEqual([
    first.providerMessageId,
    first.providerMessageId,
    other.providerMessageId,
  ]);
});

it('reports a 550 from the server as a permanent rejection (a bounce) without the address', async () => {
  peer = await startSmtpServer({
    onRcptTo(_address, _session, callback) {
      callback(smtpError('5.1.1 <patient@example.org>: mailbox unavailable', 550));
    },
  });
  const error = await rejection(channelTo(peer.port).send(message));

  expect(error.code).toBe(DeliveryErrorCode.REJECTED);
  expect(error.retryable).toBe(false);
  expect(error.details).toMatchObject({ channel: 'email', status: 550, enhancedStatus: '5.1.1' });
  expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
    'patient@example.org',
  );
  expect(peer.received).toHaveLength(0);
});

it('reports a 451 from the server as a retryable deferral', async () => {
  peer = await startSmtpServer({
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback(smtpError('4.3.0 try again later', 451)));
    },
  });
  const error = await rejection(channelTo(peer.port).send(message));

  expect(error.code).toBe(DeliveryErrorCode.DEFERRED);
  expect(error.retryable).toBe(true);
  expect(error.details).toMatchObject({ status: 451 });
});

it('reports a refused connection as retryable', async () => {
  peer = await startSmtpServer();
  const { port } = peer;
  await peer.close();
  peer = undefined;
  const error = await rejection(channelTo(port).send(message));

  expect(error.code).toBe(DeliveryErrorCode.UNAVAILABLE);
  expect(error.retryable).toBe(true);
  expect(error.details.reason).toBe('ESOCKET: ECONNREFUSED');
});

it('authenticates, and reports refused credentials as a permanent configuration error', async () => {
  peer = await startSmtpServer({
    authOptional: false,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'clinic' && auth.password === 'right')
        callback(null, { user: 'clinic' });
      else callback(new Error('Invalid username or password'));
    },
  });
  await channelTo(peer.port, { auth: { user: 'clinic', pass: 'right' } }).send(message);
  expect(peer.received.map((mail) => mail.user)).toEqual(['clinic']);
  await channel!.close();

  const error = await rejection(
    channelTo(peer.port, { auth: { user: 'clinic', pass: 'wrong' } }).send(message),
  );
  expect(error.code).toBe(DeliveryErrorCode.MISCONFIGURED);
  expect(error.retryable).toBe(false);
});

/** A fresh self-signed certificate for 127.0.0.1 (smtp-server's built-in one has expired). */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cg-smtp-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('upgrades with STARTTLS, trusting the configured CA', async () => {
  const { key, cert } = selfSignedCertificate();
  peer = await startSmtpServer({ disabledCommands: [], key, cert });
  await channelTo(peer.port, { security: 'starttls', ca: cert }).send(message);

  expect(peer.received.map((mail) => mail.secure)).toEqual([true]);
});

it('refuses to send in clear text when STARTTLS is required and the server does not offer it', async () => {
  peer = await startSmtpServer();
  const error = await rejection(channelTo(peer.port, { security: 'starttls' }).send(message));

  expect(error.code).toBe(DeliveryErrorCode.MISCONFIGURED);
  expect(error.retryable).toBe(false);
  expect(peer.received).toHaveLength(0);
});

it('reports a certificate it cannot verify as retryable, naming the TLS reason', async () => {
  const { key, cert } = selfSignedCertificate();
  peer = await startSmtpServer({ disabledCommands: [], key, cert });
  const error = await rejection(channelTo(peer.port, { security: 'starttls' }).send(message));

  expect(error.code).toBe(DeliveryErrorCode.UNAVAILABLE);
  expect(error.retryable).toBe(true);
  expect(String(error.details.reason)).toContain('SELF_SIGNED');
  expect(peer.received).toHaveLength(0);
});

it('refuses to send once closed', async () => {
  peer = await startSmtpServer();
  const closed = channelTo(peer.port);
  await closed.close();
  const error = await rejection(closed.send(message));
  expect(error.code).toBe(DeliveryErrorCode.CLOSED);
});

it('refuses a sender that is not an email address when built', () => {
  expect(() => emailChannel({ host: '127.0.0.1', port: 25, from: 'Demo Clinic' })).toThrow(
    expect.objectContaining({ code: DeliveryErrorCode.MISCONFIGURED }),
  );
});

it('reports a recipient nodemailer cannot address as a permanent rejection', async () => {
  peer = await startSmtpServer();
  const error = await rejection(channelTo(peer.port).send({ ...message, to: '' }));

  expect(error.code).toBe(DeliveryErrorCode.REJECTED);
  expect(error.details).toEqual({ channel: 'email', reason: 'EENVELOPE' });
  expect(peer.received).toHaveLength(0);
});
