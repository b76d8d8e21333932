import { describe, expect, it } from '@jest/globals';

import { ackMessageType, buildAck, formatTimestamp, newControlId } from './build-ack.js';
import { buildFallbackNak } from './fallback-nak.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import { parseMessage } from './parse-message.js';

const NOW = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

function inbound(version: string, encoding = '^~\\&', extra = ''): string {
  const c = encoding[0];
  return (
    `MSH|${encoding}|LAB${c}1.2.3${c}ISO|LABFAC|HUB|HUBFAC|20240101||ORU${c}R01${c}ORU_R01|CTRL-42|T|${version}${extra}\r` +
    'PID|1||123'
  );
}

describe('buildAck', () => {
  it.each([
    ['2.3', 'ACK^R01', true, 'ERR-1'],
    ['2.4', 'ACK^R01^ACK', true, 'ERR-1'],
    ['2.5.1', 'ACK^R01^ACK', true, 'ERR-2/3'],
    ['2.7', 'ACK^R01^ACK', false, 'ERR-2/3'],
  ])('v%s: MSH-9 %s, MSA-3 %s, %s', (version, type, msa3, err) => {
    const encoding = version === '2.7' ? '^~\\&#' : '^~\\&';
    const m = parseMessage(inbound(version, encoding));
    const error = Hl7Error.requiredField({ segment: 'PID', sequence: 1, field: 3, component: 1 });
    const text = buildAck({
      header: m.header,
      delimiters: m.delimiters,
      code: 'AE',
      error,
      now: NOW,
      controlId: 'ACK1',
      message: m,
    });
    expect(text.startsWith(`MSH|${encoding}|HUB|`)).toBe(true);
    const ack = parseMessage(text);
    expect(ack.delimiters).toEqual(m.delimiters);
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA', 'ERR']);
    expect(ack.header).toMatchObject({
      sendingApplication: 'HUB',
      sendingFacility: 'HUBFAC',
      receivingApplication: 'LAB',
      receivingFacility: 'LABFAC',
      dateTime: '20240102030405+0000',
      controlId: 'ACK1',
      processingId: 'T',
      version,
    });
    expect(ack.get('MSH-5.2')).toBe('1.2.3');
    expect(ack.get('MSH-5.3')).toBe('ISO');
    const c = m.delimiters.component;
    expect(
      [ack.get('MSH-9.1'), ack.get('MSH-9.2'), ack.get('MSH-9.3')].filter(Boolean).join(c),
    ).toBe(type.replaceAll('^', c));
    expect(ack.get('MSA-1')).toBe('AE');
    expect(ack.get('MSA-2')).toBe('CTRL-42');
    expect(ack.get('MSA-3')).toBe(msa3 ? 'Required field PID-3 is missing.' : undefined);
    if (err === 'ERR-1') {
      expect(ack.get('ERR-1.1')).toBe('PID');
      expect(ack.get('ERR-1.2')).toBe('1');
      expect(ack.get('ERR-1.3')).toBe('3');
      expect(ack.get('ERR-1.4.1')).toBe('101');
      expect(ack.get('ERR-1.4.3')).toBe('HL70357');
      expect(ack.get('ERR-2')).toBeUndefined();
    } else {
      expect(ack.get('ERR-1')).toBeUndefined();
      expect(ack.segment('ERR')!.repetitions(2)).toEqual([[['PID'], ['1'], ['3'], ['1'], ['1']]]);
      expect(ack.segment('ERR')!.repetitions(3)).toEqual([
        [['101'], ['Required field missing'], ['HL70357']],
      ]);
      expect(ack.get('ERR-4')).toBe('E');
      expect(ack.get('ERR-8')).toBe('Required field PID-3 is missing.');
    }
  });

  it('writes v2.1 MSH-9 as ACK and no time zone', () => {
    expect(ackMessageType('2.1', 'A01')).toEqual(['ACK']);
    expect(ackMessageType('2.2', 'A01')).toEqual(['ACK', 'A01']);
    expect(ackMessageType('2.3.1', 'A01')).toEqual(['ACK', 'A01', 'ACK']);
    expect(ackMessageType('2.8.2', undefined)).toEqual(['ACK', '', 'ACK']);
    expect(formatTimestamp(NOW, '2.1')).toBe('20240102030405');
  });

  it('builds AA without ERR, with the hub identity, MSH-18 echoed and MSH-15/16 NE in enhanced mode', () => {
    const m = parseMessage(inbound('2.5.1', '^~\\&', '|||AL|NE||8859/1'));
    const text = buildAck({
      header: m.header,
      delimiters: m.delimiters,
      code: 'CA',
      sendingApplication: 'CAREGRAPH',
      sendingFacility: 'HQ',
    });
    const ack = parseMessage(text);
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA']);
    expect(ack.header).toMatchObject({
      sendingApplication: 'CAREGRAPH',
      sendingFacility: 'HQ',
      receivingApplication: 'LAB',
      acceptAckType: 'NE',
      applicationAckType: 'NE',
      characterSet: '8859/1',
    });
    expect(ack.header.controlId).toHaveLength(20);
    expect(ack.header.controlId).not.toBe(m.header.controlId);
    expect(ack.get('MSA-1')).toBe('CA');
    expect(ack.get('MSA-3')).toBeUndefined();
  });

  it('escapes a text message and never needs the error cause', () => {
    const m = parseMessage(inbound('2.4'));
    const error = Hl7Error.internal(new Error('db password=secret'));
    const text = buildAck({
      header: m.header,
      delimiters: m.delimiters,
      code: 'AE',
      error,
      textMessage: 'a|b^c',
    });
    expect(text).not.toContain('secret');
    const ack = parseMessage(text);
    expect(ack.get('MSA-3')).toBe('a|b^c');
    expect(ack.get('ERR-1.4.1')).toBe('207');
    expect(ack.get('ERR-1.4.2')).toBe('Application internal error');
  });

  it('gives new control ids of 20 characters', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newControlId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Z]{20}$/);
  });
});

describe('buildFallbackNak', () => {
  const reason = new Hl7Error(Hl7ErrorCode.DELIMITERS, 'MSH-1/MSH-2 delimiters: bad.');

  it('scrapes MSH-10 and MSH-12 from a message whose MSH cannot be parsed', () => {
    const raw = 'MSH|^^\\&|LAB|FAC|HUB|HF|2024||ADT^A01|SCRAPED-1|P|2.3\rPID|1';
    const ack = parseMessage(buildFallbackNak(raw, reason, { now: NOW, controlId: 'N1' }));
    expect(ack.delimiters).toMatchObject({
      field: '|',
      component: '^',
      repetition: '~',
      escape: '\\',
      subcomponent: '&',
    });
    expect(ack.header).toMatchObject({
      version: '2.3',
      controlId: 'N1',
      receivingApplication: 'LAB',
      sendingApplication: 'HUB',
    });
    expect(ack.get('MSA-1')).toBe('AR');
    expect(ack.get('MSA-2')).toBe('SCRAPED-1');
    expect(ack.get('ERR-1.4.1')).toBe('102');
  });

  it('answers garbage with an empty MSA-2 and version 2.5.1', () => {
    const ack = parseMessage(
      buildFallbackNak(
        Buffer.from([0x00, 0xff, 0x0b]),
        new Hl7Error(Hl7ErrorCode.MISSING_MSH, 'No MSH.'),
      ),
    );
    expect(ack.header.version).toBe('2.5.1');
    expect(ack.get('MSA-1')).toBe('AR');
    expect(ack.get('MSA-2')).toBeUndefined();
    expect(ack.get('ERR-3.1')).toBe('100');
  });

  it('does not take an unsupported scraped version', () => {
    const ack = parseMessage(buildFallbackNak('MSH|^~\\&|A||||||ADT|C1|P|3.0', reason));
    expect(ack.header.version).toBe('2.5.1');
    expect(ack.get('MSA-2')).toBe('C1');
  });
});
