import { describe, expect, it } from '@jest/globals';

import { isBatchInput, splitBatch } from './batch.js';
import { buildAck } from './build-ack.js';
import { buildBatchAck } from './build-batch-ack.js';
import { parseMessage } from './parse-message.js';

const NOW = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

const msg = (id: string, encoding = '^~\\&') =>
  `MSH|${encoding}|LAB|LABFAC|HUB|HUBFAC|20240101||ADT^A01|${id}|P|2.5.1\rPID|1||${id}`;

function ackOf(text: string): string {
  const m = parseMessage(text);
  return buildAck({ header: m.header, delimiters: m.delimiters, code: 'AA', now: NOW });
}

describe('buildBatchAck', () => {
  it('answers a batch file FHS/BHS … BTS/FTS, referencing the sender control ids', () => {
    const sent = splitBatch(
      [
        'FHS|^~\\&|LAB|LABFAC|HUB|HUBFAC|20240101||||F-77',
        'BHS|^~\\&|LAB|LABFAC|HUB|HUBFAC|20240101||||B-12',
        msg('1'),
        msg('2'),
        'BTS|2',
        'FTS|1',
      ].join('\r'),
    );
    let id = 0;
    const text = buildBatchAck({
      fileHeader: sent.header,
      batches: [{ header: sent.batches[0]!.header, acks: sent.messages.map(ackOf) }],
      delimiters: sent.headerDelimiters,
      sendingApplication: 'CAREGRAPH',
      now: NOW,
      controlId: () => `ACKB-${++id}`,
    });
    const lines = text.split('\r');
    expect(lines[0]).toBe(
      'FHS|^~\\&|CAREGRAPH|HUBFAC|LAB|LABFAC|20240102030405+0000||||ACKB-1|F-77',
    );
    expect(lines[1]).toBe(
      'BHS|^~\\&|CAREGRAPH|HUBFAC|LAB|LABFAC|20240102030405+0000||||ACKB-2|B-12',
    );
    expect(lines.slice(-2)).toEqual(['BTS|2', 'FTS|1']);
    const answer = splitBatch(text);
    expect(answer.problems).toEqual([]);
    expect(answer.batches[0]!.header?.referenceControlId).toBe('B-12');
    expect(answer.messages.map((m) => parseMessage(m).get('MSA-2'))).toEqual(['1', '2']);
  });

  it('answers a batch without FHS with BHS … BTS only, in the sender delimiters, with a comment', () => {
    const sent = splitBatch(['BHS#$~\\&#LAB\\T\\X#F#HUB', msg('1', '$~\\&'), 'BTS#1'].join('\r'));
    const text = buildBatchAck({
      batches: [{ header: sent.header, acks: [], comment: 'BTS-1 declares 1 & more' }],
      delimiters: sent.headerDelimiters,
      now: NOW,
      controlId: () => 'X1',
    });
    // BHS-3 defaults to the sender's BHS-5; BHS-5 echoes its BHS-3, escapes kept as sent.
    expect(text.split('\r')).toEqual([
      'BHS#$~\\&#HUB##LAB\\T\\X#F#20240102030405+0000####X1',
      'BTS#0#BTS-1 declares 1 \\T\\ more',
    ]);
  });

  it('writes one BHS … BTS per batch', () => {
    const text = buildBatchAck({
      fileHeader: { segment: 'FHS' },
      batches: [{ acks: [ackOf(msg('1'))] }, { acks: [] }],
      now: NOW,
    });
    const answer = splitBatch(text);
    expect(answer.batches.map((b) => [b.messageCount, b.declaredCount])).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expect(answer.declaredBatchCount).toBe(2);
    expect(answer.problems).toEqual([]);
  });
});

describe('isBatchInput', () => {
  it.each([
    ['FHS|^~\\&|A', true],
    ['\u000bBHS|^~\\&|A\r', true],
    ['\ufeff\r\nBHS|^~\\&', true],
    ['MSH|^~\\&|A', false],
    ['BHSX|', false],
    ['', false],
  ])('%j → %s', (input, expected) => {
    expect(isBatchInput(input)).toBe(expected);
    expect(isBatchInput(Buffer.from(input))).toBe(expected);
  });

  it('reads a UTF-16 batch', () => {
    expect(isBatchInput(Buffer.from('\ufeffBHS|^~\\&', 'utf16le'))).toBe(true);
  });
});
