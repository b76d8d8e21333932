import { classifyReply, normalizeReply } from './reply-keywords.js';

describe('classifyReply', () => {
  it.each([
    ['STOP', 'STOP'],
    ['stop', 'STOP'],
    ['  Stop.  ', 'STOP'],
    ['STOPALL', 'STOPALL'],
    ['stop all', 'STOPALL'],
    ['Unsubscribe', 'UNSUBSCRIBE'],
    ['CANCEL', 'CANCEL'],
    ['end', 'END'],
    ['Quit!', 'QUIT'],
    ['revoke', 'REVOKE'],
    ['Opt-out', 'OPTOUT'],
    ['opt out', 'OPTOUT'],
    ['OPTOUT', 'OPTOUT'],
    ['ＳＴＯＰ', 'STOP'],
    ['"STOP" 🛑', 'STOP'],
  ])('%j is an opt-out (%s)', (body, keyword) => {
    expect(classifyReply(body)).toEqual({ intent: 'opt-out', keyword });
  });

  it('honours STOP, STOPALL and UNSUBSCRIBE as the first or last word of a longer message', () => {
    expect(classifyReply('Stop texting me')).toEqual({ intent: 'opt-out', keyword: 'STOP' });
    expect(classifyReply('please STOP')).toEqual({ intent: 'opt-out', keyword: 'STOP' });
    expect(classifyReply('unsubscribe me')).toEqual({ intent: 'opt-out', keyword: 'UNSUBSCRIBE' });
  });

  it('does not read END, QUIT or CANCEL inside a sentence as an opt-out', () => {
    expect(classifyReply('End of the week works for me')).toEqual({ intent: 'other' });
    expect(classifyReply('I quit smoking!')).toEqual({ intent: 'other' });
    expect(classifyReply('cancel my appointment please')).toEqual({ intent: 'other' });
  });

  it.each(['START', 'start', 'Unstop', 'YES', 'yes!'])('%j is an opt-in', (body) => {
    expect(classifyReply(body).intent).toBe('opt-in');
  });

  it.each(['HELP', 'help?', 'Info'])('%j asks for help', (body) => {
    expect(classifyReply(body).intent).toBe('help');
  });

  it('reads C as confirm and R as reschedule, in either case and with spaces', () => {
    expect(classifyReply('C')).toEqual({ intent: 'confirm', keyword: 'C' });
    expect(classifyReply(' c ')).toEqual({ intent: 'confirm', keyword: 'C' });
    expect(classifyReply('Confirm')).toEqual({ intent: 'confirm', keyword: 'CONFIRM' });
    expect(classifyReply('r')).toEqual({ intent: 'reschedule', keyword: 'R' });
    expect(classifyReply('RESCHEDULE.')).toEqual({ intent: 'reschedule', keyword: 'RESCHEDULE' });
  });

  it('leaves everything else to a person, without echoing the message', () => {
    expect(classifyReply('Can I come at 3 instead?')).toEqual({ intent: 'other' });
    expect(classifyReply('')).toEqual({ intent: 'other' });
    expect(classifyReply('CC')).toEqual({ intent: 'other' });
    expect(classifyReply('Yes I will be there')).toEqual({ intent: 'other' });
  });
});

describe('normalizeReply', () => {
  it('folds case, width, spacing and surrounding punctuation', () => {
    expect(normalizeReply('  opt_-  out!! ')).toBe('OPT OUT');
    expect(normalizeReply('ｈｅｌｐ')).toBe('HELP');
  });
});
