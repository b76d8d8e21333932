import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Twilio-style SMS provider API on a free loopback port, for tests. */
export interface SmsApiPeer {
  port: number;
  /** Each message request's form parameters (`To`, `From`, `Body`…), in order of arrival. */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server that takes every message request (a form POST) and answers `201` with a
 * new sid (`SM1`, `SM2`…), as the provider does.
 */
export async function startSmsApiPeer(): Promise<SmsApiPeer> {
  const requests: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sid: `SM${requests.length}`, status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
