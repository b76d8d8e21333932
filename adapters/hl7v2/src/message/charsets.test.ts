import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';

import { encodeForCharset, encodingForCharset } from './charsets.js';
import { parseMessage } from './parse-message.js';
import { catchHl7 } from './test-support.js';

const msh = (charset: string) => `MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5||||||${charset}`;

describe('MSH-18 character sets', () => {
  it.each([
    ['ASCII', 'ascii'],
    ['8859/1', 'iso-8859-1'],
    ['8859/15', 'iso-8859-15'],
    ['UNICODE UTF-8', 'utf-8'],
    ['ISO IR6', 'ascii'],
    ['GB 18030-2000', 'gb18030'],
    ['UTF-8', 'utf-8'],
    ['windows-1252', 'windows-1252'],
  ])('maps %s to %s', (name, encoding) => {
    expect(encodingForCharset(name)).toBe(encoding);
  });

  it.each(['ISO IR87', 'KLINGON', ''])('rejects %j with a coded error', (name) => {
    expect(catchHl7(() => encodingForCharset(name))).toMatchObject({
      code: 'HL7_ERR_UNSUPPORTED_CHARSET',
      hl7Code: '103',
      ackCode: 'AR',
      location: { segment: 'MSH', sequence: 1, field: 18 },
    });
  });

  it('decodes 8859/1 bytes', () => {
    const bytes = iconv.encode(`${msh('8859/1')}\rPID|1||123||Ren\u00e9e^Lef\u00e8vre`, 'latin1');
    expect(bytes.includes(0xe9)).toBe(true);
    const m = parseMessage(bytes);
    expect(m.get('PID-5.1')).toBe('Renée');
    expect(m.get('PID-5.2')).toBe('Lefèvre');
    expect(m.header.characterSet).toBe('8859/1');
    expect(m.encoding).toBe('iso-8859-1');
  });

  it('decodes UTF-8 bytes by default and with a BOM, and \\X\\ per charset', () => {
    const text = `${msh('')}\rPID|1||123||Zo\u00eb\\XC3A9\\`;
    expect(parseMessage(Buffer.from(text, 'utf8')).get('PID-5')).toBe('Zoëé');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(parseMessage(bom).get('PID-5')).toBe('Zoëé');
    const latin = `${msh('8859/1')}\rPID|1||123||Zo\\XEB\\`;
    expect(parseMessage(latin).get('PID-5')).toBe('Zoë');
  });

  it('uses defaultCharset when MSH-18 is empty', () => {
    const bytes = iconv.encode(`${msh('')}\rPID|1||123||Jos\u00e9`, 'latin1');
    expect(parseMessage(bytes, { defaultCharset: '8859/1' }).get('PID-5')).toBe('José');
    expect(parseMessage(bytes).get('PID-5')).toBe('Jos\ufffd');
  });

  it('reads UTF-16 with a BOM', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${msh('')}\rPID|1||123||\u00c5sa`, 'utf16le'),
    ]);
    expect(parseMessage(bytes).get('PID-5')).toBe('Åsa');
  });

  it('rejects an unknown MSH-18 in a message', () => {
    expect(catchHl7(() => parseMessage(Buffer.from(msh('EBCDIC-XYZ'))))).toMatchObject({
      code: 'HL7_ERR_UNSUPPORTED_CHARSET',
    });
    expect(catchHl7(() => parseMessage(msh('ISO IR87')))).toMatchObject({
      code: 'HL7_ERR_UNSUPPORTED_CHARSET',
    });
  });

  it('encodes outbound text for a charset', () => {
    expect([...encodeForCharset('é', '8859/1')]).toEqual([0xe9]);
    expect([...encodeForCharset('é')]).toEqual([0xc3, 0xa9]);
  });
});
