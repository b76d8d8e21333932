import { sign, verifySignature } from './signature.js';

const secret = 'a-shared-secret-of-at-least-32-chars';
const body = Buffer.from('{"readings":[]}');

it('accepts the signature of the raw body', () => {
  expect(verifySignature(body, sign(body, secret), secret)).toBe(true);
});

it('refuses a missing, truncated, foreign or tampered signature', () => {
  expect(verifySignature(body, undefined, secret)).toBe(false);
  expect(verifySignature(body, sign(body, secret).slice(0, -1), secret)).toBe(false);
  expect(verifySignature(body, sign(body, `${secret}-other`), secret)).toBe(false);
  expect(verifySignature(Buffer.from('{"readings":[1]}'), sign(body, secret), secret)).toBe(false);
});
