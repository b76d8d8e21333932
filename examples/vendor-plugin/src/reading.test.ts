import { parseReadings } from './reading.js';

const valid = {
  deviceId: 'band-1',
  patient: { system: 'urn:mrn', value: 'MRN-SECRET-123' },
  code: '8867-4',
  value: 72,
  unit: '/min',
  time: '2026-03-01T08:00:00Z',
};

it('parses a batch of readings', () => {
  expect(parseReadings({ readings: [valid] })).toEqual({ readings: [valid] });
});

it.each([
  [{}, 'readings: expected array'],
  [{ readings: [{ ...valid, value: 'high' }] }, 'readings[0].value: expected number'],
  [{ readings: [{ ...valid, time: 'yesterday' }] }, 'readings[0].time: Invalid ISO datetime'],
  [{ readings: [{ ...valid, code: '1234-5' }] }, 'readings[0].code: unsupported LOINC code'],
  [{ readings: [valid, { ...valid, unit: 'bpm' }] }, 'readings[1].unit: expected /min for 8867-4'],
])('names the malformed field of %j', (body, error) => {
  expect(parseReadings(body)).toEqual({ error });
});

it('never echoes what was sent', () => {
  const result = parseReadings({
    readings: [{ ...valid, patient: { system: 'urn:mrn', value: 7 } }],
  });
  expect(result).toEqual({ error: 'readings[0].patient.value: expected string' });
  expect(JSON.stringify(result)).not.toContain('MRN-SECRET');
});
