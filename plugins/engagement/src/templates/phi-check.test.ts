import {
  checkRenderedPhi,
  checkTemplatePhi,
  phiCodeOfPlaceholder,
  PhiFindingCode,
} from './phi-check.js';
import { PLACEHOLDERS } from './placeholders.js';

describe('phiCodeOfPlaceholder', () => {
  it('flags placeholders for results, conditions, medications, tests and specialty', () => {
    for (const name of [
      'observation.value',
      'result.value',
      'lab.testName',
      'condition.display',
      'patient.diagnosis',
      'medication.name',
      'appointment.serviceType',
      'appointment.practitionerSpecialty',
      'practitioner.specialty',
      'carePlan.title',
    ])
      expect([name, phiCodeOfPlaceholder(name)]).toEqual([
        name,
        PhiFindingCode.CLINICAL_PLACEHOLDER,
      ]);
  });

  it('flags free-text placeholders', () => {
    for (const name of ['appointment.description', 'encounter.note', 'task.comments'])
      expect(phiCodeOfPlaceholder(name)).toBe(PhiFindingCode.FREE_TEXT_PLACEHOLDER);
  });

  it('flags none of the allowed placeholders', () => {
    expect(Object.keys(PLACEHOLDERS).filter((name) => phiCodeOfPlaceholder(name))).toEqual([]);
  });
});

describe('checkTemplatePhi', () => {
  it('reports a clinical placeholder as an error with its part and position', () => {
    const text = 'Hi {{recipient.givenName}}, your result: {{observation.value}}';
    expect(checkTemplatePhi({ text })).toEqual([
      expect.objectContaining({
        code: PhiFindingCode.CLINICAL_PLACEHOLDER,
        severity: 'error',
        part: 'text',
        start: text.indexOf('{{observation'),
        end: text.length,
        placeholder: 'observation.value',
        source: 'template',
      }),
    ]);
  });

  it('reports sensitive literal words and measurements as warnings, in each part', () => {
    const findings = checkTemplatePhi({
      subject: 'Your oncology visit',
      text: 'Your HbA1c was 8%.',
      html: '<p>Salud mental</p>',
    });
    expect(findings.map((f) => [f.code, f.severity, f.part, f.term, f.start])).toEqual([
      [PhiFindingCode.SENSITIVE_TERM, 'warning', 'subject', 'oncology', 5],
      [PhiFindingCode.SENSITIVE_TERM, 'warning', 'text', 'HbA1c', 5],
      [PhiFindingCode.MEASUREMENT, 'warning', 'text', '8%', 15],
      [PhiFindingCode.SENSITIVE_TERM, 'warning', 'html', 'Salud mental', 3],
    ]);
  });

  it('does not read placeholder names as literal words', () => {
    expect(checkTemplatePhi({ text: 'At {{appointment.start}} see {{links.portal}}' })).toEqual([]);
  });

  it('finds nothing in a message that only says a result is available', () => {
    expect(
      checkTemplatePhi({
        subject: 'A new result is available',
        text: 'Hi {{recipient.givenName}}, a new result for {{patient.givenName}} is available. Log in to see it: {{links.portal}}',
      }),
    ).toEqual([]);
  });
});

describe('checkRenderedPhi', () => {
  it('catches sensitive words that arrive through values, with offsets into the output', () => {
    const text = 'Reminder from Westside HIV Clinic';
    expect(checkRenderedPhi({ text })).toEqual([
      expect.objectContaining({
        code: PhiFindingCode.SENSITIVE_TERM,
        severity: 'warning',
        part: 'text',
        start: 23,
        end: 26,
        source: 'rendered',
      }),
    ]);
  });
});
