import { CommunicationChannel } from '@caregraph/schema';
import { parseSurveyResponseInput } from './survey-response-input.js';

const valid = {
  patientId: '0b8f2c52-6f0e-4c55-9a53-5d5c7a4c1a10',
  appointmentId: '1c9a3d63-7a1f-4d66-8b64-6e6d8b5d2b21',
  score: 9,
  comment: '  Kind staff  ',
  channel: CommunicationChannel.PHONE,
};

describe('parseSurveyResponseInput', () => {
  it('accepts a score of 0 to 10 and trims the comment', () => {
    expect(parseSurveyResponseInput(valid)).toEqual({
      ok: true,
      value: { ...valid, comment: 'Kind staff' },
    });
    for (const score of [0, 10])
      expect(parseSurveyResponseInput({ ...valid, score }).ok).toBe(true);
  });

  it('treats an empty or missing comment and appointment as none', () => {
    const result = parseSurveyResponseInput({ ...valid, comment: '   ', appointmentId: null });
    expect(result).toEqual({
      ok: true,
      value: { ...valid, comment: undefined, appointmentId: null },
    });
  });

  it.each([
    [{ score: 11 }, ['input', 'score']],
    [{ score: -1 }, ['input', 'score']],
    [{ score: 7.5 }, ['input', 'score']],
    [{ comment: 'x'.repeat(1_001) }, ['input', 'comment']],
    [{ patientId: 'not-an-id' }, ['input', 'patientId']],
    [{ appointmentId: 'not-an-id' }, ['input', 'appointmentId']],
  ])('refuses %j at %j', (change, path) => {
    const result = parseSurveyResponseInput({ ...valid, ...change });
    expect(result).toMatchObject({ ok: false, path });
  });
});
