import { readAck } from './ack-outcome.js';

const ack = (code: string, controlId = 'C1', extra = '') =>
  Buffer.from(
    `MSH|^~\\&|RIS|RAD|CAREGRAPH|CLINIC|20270101000000||ACK^S12^ACK|A1|P|2.5.1\rMSA|${code}|${controlId}${extra}`,
  );

describe('readAck', () => {
  it('reads AA and CA as acknowledged', () => {
    expect(readAck(ack('AA'), 'C1')).toMatchObject({ kind: 'acknowledged', ackCode: 'AA' });
    expect(readAck(ack('CA'), 'C1')).toMatchObject({ kind: 'acknowledged', ackCode: 'CA' });
  });

  it('reads AE, AR, CE and CR as rejected, with the ERR-3 code but not the free text in errorText', () => {
    const nak = readAck(
      Buffer.concat([
        ack('AE', 'C1', '|Patient EVE unknown'),
        Buffer.from('\rERR||PID^1^3|204^Unknown key^HL70357|E'),
      ]),
      'C1',
    );
    expect(nak).toMatchObject({ kind: 'rejected', ackCode: 'AE' });
    expect(nak.kind === 'rejected' && nak.errorText).toBe(
      'The destination answered AE (ERR-3 204).',
    );
    expect(nak.ackText).toContain('Patient EVE unknown');
    for (const code of ['AR', 'CE', 'CR'])
      expect(readAck(ack(code), 'C1')).toMatchObject({ kind: 'rejected', ackCode: code });
  });

  it('treats an unreadable answer, a missing code and another control id as invalid', () => {
    expect(readAck(Buffer.from('garbage'), 'C1').kind).toBe('invalid');
    expect(readAck(ack('ZZ'), 'C1').kind).toBe('invalid');
    expect(readAck(ack('AA', 'OTHER'), 'C1')).toMatchObject({
      kind: 'invalid',
      errorText: expect.stringContaining('MSA-2'),
    });
  });
});
