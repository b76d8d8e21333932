import { GSM7_BASIC, smsSegments } from './sms-segments.js';

describe('smsSegments', () => {
  it('holds the 127 characters of the GSM 03.38 default alphabet', () => {
    expect([...new Set(GSM7_BASIC)]).toHaveLength(127);
  });

  it('sends GSM-7 text of up to 160 septets as one message, longer ones in 153-septet segments', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts an extension character as two septets and never splits it', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    // 152 septets, then a two-septet "€" that does not fit in segment one's 153.
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(10))).toEqual({
      encoding: 'GSM-7',
      units: 164,
      segments: 2,
    });
    expect(smsSegments('a'.repeat(152) + '€'.repeat(77)).segments).toBe(3);
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7 (70, then 67 per segment)', () => {
    expect(smsSegments('Su cita es el día 5').encoding).toBe('UCS-2');
    expect(smsSegments('á'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('á'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('á'.repeat(135)).segments).toBe(3);
  });

  it('keeps accents that GSM-7 has (é, ñ, ü, à) in GSM-7', () => {
    expect(smsSegments('Niño, café, pingüino, à').encoding).toBe('GSM-7');
  });

  it('counts an emoji as two UTF-16 units and does not split it', () => {
    expect(smsSegments('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsSegments('x'.repeat(66) + '😀' + 'x'.repeat(5))).toEqual({
      encoding: 'UCS-2',
      units: 73,
      segments: 2,
    });
  });

  it('counts an empty text as no segment', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
  });
});
