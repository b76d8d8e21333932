import { randomBytes } from 'node:crypto';
import { openAesGcm, sealAesGcm } from './aes-gcm.js';
import { computeBlindIndex } from './blind-index.js';
import {
  ciphertextLikePattern,
  fieldAad,
  formatCiphertext,
  isCiphertext,
  parseCiphertext,
  type FieldLocation,
} from './ciphertext-format.js';

const key = randomBytes(32);
const here: FieldLocation = {
  tenantId: 't1',
  table: 'patient_identifier',
  column: 'value',
  rowId: 'r1',
};

describe('ciphertext format', () => {
  it('names its key version and round-trips through AES-256-GCM', () => {
    const text = formatCiphertext(7, sealAesGcm(key, Buffer.from('900-12-3456'), fieldAad(here)));
    expect(text).toMatch(/^cg1:7:[A-Za-z0-9+/]+=*$/);
    expect(isCiphertext(text)).toBe(true);
    const parsed = parseCiphertext(text)!;
    expect(parsed.version).toBe(7);
    expect(openAesGcm(key, parsed.sealed, fieldAad(here))?.toString()).toBe('900-12-3456');
    expect(text.startsWith(ciphertextLikePattern(7).replace('%', ''))).toBe(true);
  });

  it('uses a fresh IV each time', () => {
    const a = formatCiphertext(1, sealAesGcm(key, Buffer.from('x'), fieldAad(here)));
    const b = formatCiphertext(1, sealAesGcm(key, Buffer.from('x'), fieldAad(here)));
    expect(a).not.toBe(b);
  });

  it.each([
    ['another tenant', { tenantId: 't2' }],
    ['another table', { table: 'coverage' }],
    ['another column', { column: 'note' }],
    ['another row', { rowId: 'r2' }],
  ])('fails to open when moved to %s', (_name, change) => {
    const sealed = sealAesGcm(key, Buffer.from('secret'), fieldAad(here));
    expect(openAesGcm(key, sealed, fieldAad({ ...here, ...change }))).toBeUndefined();
  });

  it('fails to open a flipped byte, a truncated value or another key', () => {
    const sealed = sealAesGcm(key, Buffer.from('secret'), fieldAad(here));
    const flipped = Buffer.from(sealed);
    flipped[13] = flipped[13]! ^ 0x01;
    expect(openAesGcm(key, flipped, fieldAad(here))).toBeUndefined();
    expect(openAesGcm(key, sealed.subarray(0, 20), fieldAad(here))).toBeUndefined();
    expect(openAesGcm(randomBytes(32), sealed, fieldAad(here))).toBeUndefined();
  });

  it('does not take plaintext or other formats for ciphertext', () => {
    for (const value of ['900-12-3456', 'cg1:x:abc', 'cg2:1:abc', 'cg1:1:', 'cg1:1:ab$c'])
      expect(parseCiphertext(value)).toBeUndefined();
  });
});

describe('blind index', () => {
  it('is deterministic per key, differs across keys, and normalises Unicode', () => {
    const other = randomBytes(32);
    expect(computeBlindIndex(key, 'A1')).toBe(computeBlindIndex(key, 'A1'));
    expect(computeBlindIndex(key, 'A1')).toMatch(/^[0-9a-f]{64}$/);
    expect(computeBlindIndex(key, 'A1')).not.toBe(computeBlindIndex(other, 'A1'));
    expect(computeBlindIndex(key, 'A1')).not.toBe(computeBlindIndex(key, 'a1'));
    expect(computeBlindIndex(key, 'Jos\u00e9')).toBe(computeBlindIndex(key, 'Jose\u0301'));
  });
});
