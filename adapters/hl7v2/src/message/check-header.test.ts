import { describe, expect, it } from '@jest/globals';

import { checkHeader } from './check-header.js';
import { parseMessage } from './parse-message.js';
import { catchHl7 } from './test-support.js';

const header = (type: string, processing: string) =>
  parseMessage(`MSH|^~\\&|A|B|C|D|2024||${type}|1|${processing}|2.5`).header;

describe('checkHeader', () => {
  const policy = { messageTypes: { ADT: ['A01', 'A04'], ORU: '*' as const }, processingIds: ['P'] };

  it('accepts what the policy lists', () => {
    expect(() => checkHeader(header('ADT^A01', 'P'), policy)).not.toThrow();
    expect(() => checkHeader(header('ORU^R99', 'P'), policy)).not.toThrow();
    expect(() => checkHeader(header('ZZZ^Z01', 'T'))).not.toThrow();
  });

  it('rejects an unsupported type, event or processing id (AR)', () => {
    expect(catchHl7(() => checkHeader(header('SIU^S12', 'P'), policy))).toMatchObject({
      code: 'HL7_ERR_UNSUPPORTED_MESSAGE_TYPE',
      hl7Code: '200',
      ackCode: 'AR',
      location: { segment: 'MSH', sequence: 1, field: 9, component: 1 },
    });
    expect(catchHl7(() => checkHeader(header('ADT^A08', 'P'), policy))).toMatchObject({
      code: 'HL7_ERR_UNSUPPORTED_EVENT',
      hl7Code: '201',
      ackCode: 'AR',
    });
    expect(catchHl7(() => checkHeader(header('ADT^A01', 'T'), policy))).toMatchObject({
      code: 'HL7_ERR_UNSUPPORTED_PROCESSING_ID',
      hl7Code: '202',
      ackCode: 'AR',
      location: { segment: 'MSH', sequence: 1, field: 11 },
    });
    expect(catchHl7(() => checkHeader(header('ADT^A01', 'X')))).toMatchObject({ hl7Code: '202' });
  });
});
