import { parseHl7Date, parseHl7DateTime } from './datetime.js';

describe('parseHl7DateTime', () => {
  it.each([
    ['2024', '2024-01-01T00:00:00.000Z', 'year'],
    ['202402', '2024-02-01T00:00:00.000Z', 'month'],
    ['20240229', '2024-02-29T00:00:00.000Z', 'day'],
    ['2024022913', '2024-02-29T13:00:00.000Z', 'hour'],
    ['202402291345', '2024-02-29T13:45:00.000Z', 'minute'],
    ['20240229134512', '2024-02-29T13:45:12.000Z', 'second'],
    ['20240229134512.1234', '2024-02-29T13:45:12.123Z', 'fraction'],
    [' 19980729160500', '1998-07-29T16:05:00.000Z', 'second'],
  ])('%s (no offset, UTC by default)', (text, iso, precision) => {
    const parsed = parseHl7DateTime(text)!;
    expect(parsed.date.toISOString()).toBe(iso);
    expect(parsed.precision).toBe(precision);
    expect(parsed.offsetMinutes).toBeUndefined();
  });

  it('applies an offset sent in the value', () => {
    expect(parseHl7DateTime('20240105103000-0500')).toEqual({
      date: new Date('2024-01-05T15:30:00Z'),
      precision: 'second',
      offsetMinutes: -300,
    });
    expect(parseHl7DateTime('202401051030+0530')!.date).toEqual(new Date('2024-01-05T05:00:00Z'));
    expect(parseHl7DateTime('20240105+0100')!.date).toEqual(new Date('2024-01-04T23:00:00Z'));
  });

  it('reads a value without an offset in the default zone, daylight saving included', () => {
    expect(parseHl7DateTime('20240105103000', 'America/Chicago')!.date).toEqual(
      new Date('2024-01-05T16:30:00Z'),
    );
    expect(parseHl7DateTime('20240705103000', 'America/Chicago')!.date).toEqual(
      new Date('2024-07-05T15:30:00Z'),
    );
    // 02:30 does not exist on 10 March 2024 in Chicago (spring forward): it moves forward;
    // 01:30 on 3 November happens twice (fall back): the first one (CDT).
    expect(parseHl7DateTime('202411030130', 'America/Chicago')!.date).toEqual(
      new Date('2024-11-03T06:30:00Z'),
    );
    expect(parseHl7DateTime('202403100330', 'America/Chicago')!.date).toEqual(
      new Date('2024-03-10T08:30:00Z'),
    );
    expect(parseHl7DateTime('202403100230', 'America/Chicago')!.date).toEqual(
      new Date('2024-03-10T08:30:00Z'),
    );
    expect(parseHl7DateTime('20240105103000+0000', 'America/Chicago')!.date).toEqual(
      new Date('2024-01-05T10:30:00Z'),
    );
  });

  it.each([
    '',
    'abc',
    '2024013',
    '20241301',
    '20240230',
    '20240101250000',
    '20240101120000-2500',
    '2024-01-01',
    '12',
  ])('rejects %j', (text) => {
    expect(parseHl7DateTime(text)).toBeUndefined();
  });
});

describe('parseHl7Date', () => {
  it('keeps the precision and ignores time and offset', () => {
    expect(parseHl7Date('1975')).toEqual({ value: '1975', precision: 'year' });
    expect(parseHl7Date('197505')).toEqual({ value: '1975-05', precision: 'month' });
    expect(parseHl7Date('19750501')).toEqual({ value: '1975-05-01', precision: 'day' });
    expect(parseHl7Date('197505012330-1100')).toEqual({ value: '1975-05-01', precision: 'day' });
    expect(parseHl7Date('19750532')).toBeUndefined();
  });
});
