import { MAX_SURVEY_COMMENT, parseSurveyReply } from './survey-reply.js';

describe('parseSurveyReply', () => {
  it.each([
    ['9', { score: 9 }],
    ['0', { score: 0 }],
    ['10', { score: 10 }],
    [' 7 ', { score: 7 }],
    ['09', { score: 9 }],
    ['９', { score: 9 }],
    ['9!', { score: 9 }],
    ['9 great visit', { score: 9, comment: 'great visit' }],
    ['9 thanks', { score: 9, comment: 'thanks' }],
    ['9, great visit', { score: 9, comment: 'great visit' }],
    ['8. The wait was long', { score: 8, comment: 'The wait was long' }],
    ['6 - the wait\n was long', { score: 6, comment: 'the wait was long' }],
    ['10/10 loved it', { score: 10, comment: 'loved it' }],
    ['10 / 10', { score: 10 }],
    ['3 out of 10, rude staff', { score: 3, comment: 'rude staff' }],
    ['9 de 10 muy bien', { score: 9, comment: 'muy bien' }],
  ])('reads %j as %j', (body, answer) => {
    expect(parseSurveyReply(body)).toEqual(answer);
  });

  it.each([
    '11',
    '95',
    '-1',
    '9.5',
    '9,5',
    '9am works for me',
    'nine',
    'great visit 9',
    '',
    'C',
    'STOP',
  ])('does not read %j as an answer', (body) => {
    expect(parseSurveyReply(body)).toBeUndefined();
  });

  it('cuts a long comment instead of refusing the answer', () => {
    const answer = parseSurveyReply(`7 ${'a'.repeat(MAX_SURVEY_COMMENT + 50)}`);
    expect(answer?.score).toBe(7);
    expect(answer?.comment).toHaveLength(MAX_SURVEY_COMMENT);
  });
});
