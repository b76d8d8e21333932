import { describe, expect, it } from '@jest/globals';

import { splitBatch } from './batch.js';
import { parseMessage } from './parse-message.js';
import { catchHl7 } from './test-support.js';

const msg = (id: string) => `MSH|^~\\&|A|B|C|D|20240101||ADT^A01|${id}|P|2.5\rPID|1||${id}`;

describe('splitBatch', () => {
  it('splits FHS/BHS/BTS/FTS files and checks the counts', () => {
    const file = [
      'FHS|^~\\&|SENDER|FAC|HUB|HFAC|20240101||file-1||F123',
      'BHS|^~\\&|SENDER|FAC|HUB|HFAC|20240101||batch-1||B1',
      msg('1'),
      msg('2'),
      'BTS|2',
      'BHS|^~\\&|SENDER|FAC',
      msg('3'),
      'BTS|1',
      'FTS|2',
    ].join('\r');
    const r = splitBatch(file);
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => parseMessage(m).header.controlId)).toEqual(['1', '2', '3']);
    expect(r.header).toEqual({
      segment: 'FHS',
      sendingApplication: 'SENDER',
      sendingFacility: 'FAC',
      receivingApplication: 'HUB',
      receivingFacility: 'HFAC',
      dateTime: '20240101',
      name: 'file-1',
      controlId: 'F123',
    });
    expect(r.declaredCount).toBe(3);
    expect(r.declaredBatchCount).toBe(2);
    expect(r.batches.map((b) => [b.header?.controlId, b.messageCount, b.declaredCount])).toEqual([
      ['B1', 2, 2],
      [undefined, 1, 1],
    ]);
  });

  it('reports a BTS count mismatch, and throws it when strict', () => {
    const file = ['BHS|^~\\&|S', msg('1'), msg('2'), 'BTS|3'].join('\n');
    const r = splitBatch(file);
    expect(r.messages).toHaveLength(2);
    expect(r.declaredCount).toBe(3);
    expect(r.problems).toEqual([
      {
        code: 'COUNT_MISMATCH',
        message: 'BTS-1 declares 3 messages, the batch has 2 (line 6).',
        line: 6,
      },
    ]);
    expect(catchHl7(() => splitBatch(file, { strict: true }))).toMatchObject({
      code: 'HL7_ERR_BATCH_STRUCTURE',
      hl7Code: '100',
      ackCode: 'AR',
    });
  });

  it('reports an FTS batch count mismatch and missing trailers', () => {
    expect(
      splitBatch(['FHS|^~\\&', 'BHS|^~\\&', msg('1'), 'BTS|1', 'FTS|3'].join('\r')).problems,
    ).toMatchObject([{ code: 'COUNT_MISMATCH' }]);
    expect(
      splitBatch(['FHS|^~\\&', 'BHS|^~\\&', msg('1')].join('\r')).problems.map((p) => p.code),
    ).toEqual(['MISSING_TRAILER', 'MISSING_TRAILER']);
  });

  it('splits plain concatenated messages, MLLP dumps and CRLF files', () => {
    const plain = splitBatch([msg('1'), msg('2'), msg('3')].join('\r\n'));
    expect(plain.messages).toHaveLength(3);
    expect(plain.problems).toEqual([]);
    expect(plain.header).toBeUndefined();
    const dump = [msg('1'), msg('2')].map((m) => `\u000b${m}\u001c\r`).join('');
    const r = splitBatch(Buffer.from(dump));
    expect(r.messages.map((m) => parseMessage(m).header.controlId)).toEqual(['1', '2']);
    expect(r.problems).toEqual([]);
  });

  it('reports text outside messages without echoing it', () => {
    const r = splitBatch(
      `Patient list for Jane Doe:\n${msg('1').replace(/\r/g, '\n')}\n\nsee you\n${msg('2')}`,
    );
    expect(r.messages).toHaveLength(2);
    expect(r.problems.map((p) => p.line)).toEqual([1, 5]);
    expect(JSON.stringify(r.problems)).not.toContain('Jane');
  });

  it('keeps a non-segment line inside a message so that parseMessage rejects it', () => {
    const r = splitBatch(`${msg('1')}\rnot a segment`);
    expect(r.messages).toHaveLength(1);
    expect(catchHl7(() => parseMessage(r.messages[0]!))).toMatchObject({
      code: 'HL7_ERR_SEGMENT_SEQUENCE',
    });
  });

  it('decodes a batch buffer with the first MSH-18', () => {
    const text = `FHS|^~\\&\rMSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5||||||8859/1\rPID|1||1||Ren\u00e9e\rFTS|0`;
    const r = splitBatch(Buffer.from(text, 'latin1'));
    expect(parseMessage(r.messages[0]!).get('PID-5')).toBe('Renée');
    expect(r.encoding).toBe('iso-8859-1');
    expect(r.problems).toMatchObject([{ code: 'COUNT_MISMATCH' }]);
  });
});
