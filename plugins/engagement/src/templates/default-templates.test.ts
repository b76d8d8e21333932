import { DEFAULT_TEMPLATE_KEYS, DEFAULT_TEMPLATES } from './default-templates.js';
import type { RenderModel } from './render-model.js';
import { renderTemplate } from './render-template.js';
import { selectTemplate } from './select-template.js';
import { smsSegments } from './sms-segments.js';
import { validateTemplate } from './validate-template.js';

const model: RenderModel = {
  recipient: { givenName: 'Ana', name: 'Ana Ruiz', isPatient: false },
  patient: { givenName: 'Majo' },
  appointment: {
    start: new Date('2026-03-10T20:30:00Z'),
    end: new Date('2026-03-10T21:00:00Z'),
  },
  practice: { name: 'Sunrise Clinic', phone: '+1 555 0100' },
  links: {
    confirm: 'https://x.test/c/1',
    reschedule: 'https://x.test/r/1',
    book: 'https://x.test/b',
    survey: 'https://x.test/s/1',
    portal: 'https://x.test/p',
  },
  language: 'en-US',
  timeZone: 'America/Chicago',
  showTimeZoneName: false,
};

describe('DEFAULT_TEMPLATES', () => {
  it('pass the save-time validation, minimum-PHI check included, with no finding at all', () => {
    const withFindings = DEFAULT_TEMPLATES.map((t) => ({
      template: `${t.key}/${t.language}/${t.channel}`,
      findings: validateTemplate(t),
    })).filter((r) => r.findings.length > 0);
    expect(withFindings).toEqual([]);
  });

  it('hold an SMS and an any-channel template for every key in English and Spanish', () => {
    for (const key of DEFAULT_TEMPLATE_KEYS)
      for (const language of ['en', 'es'])
        expect(
          DEFAULT_TEMPLATES.filter((t) => t.key === key && t.language === language)
            .map((t) => t.channel)
            .sort(),
        ).toEqual(['any', 'sms']);
  });

  it('render completely from a full render model, in both languages and every channel', () => {
    for (const template of DEFAULT_TEMPLATES) {
      const rendered = renderTemplate(template, model);
      expect(rendered.text).not.toMatch(/\{\{|\}\}/);
      expect(rendered.html ?? '').not.toMatch(/\{\{|\}\}/);
    }
  });

  it('ask for confirmation with C, R and STOP', () => {
    for (const language of ['en', 'es']) {
      const { text } = selectTemplate(DEFAULT_TEMPLATES, {
        key: 'appointment-confirmation',
        channel: 'sms',
        preferredLanguage: language,
      });
      expect(text).toMatch(/\bC\b.*\bR\b.*\bSTOP\b/);
    }
  });

  it('ask the survey as a 0 to 10 score', () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => t.key === 'post-visit-survey'))
      expect(template.text).toMatch(/\b0\b.*\b10\b/s);
  });

  it('offer a rebooking link after a no-show, by SMS too', () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => t.key === 'no-show-follow-up'))
      expect(renderTemplate(template, model).text).toContain('https://x.test/b');
  });

  it('say that a lab result is available and fill nothing but names and links', () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => t.key === 'lab-result-available')) {
      expect(template.text).toMatch(/available|disponible/);
      const placeholders = [...template.text.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]);
      expect(
        placeholders.filter(
          (p) => !/^(recipient|patient)\.givenName$|^practice\.|^links\./.test(p!),
        ),
      ).toEqual([]);
    }
  });

  it('keep the clinical notices to names and links: no result, test, drug or plan', () => {
    const notices = [
      'lab-result-available',
      'refill-due',
      'adherence-check-in',
      'care-plan-update',
    ];
    for (const template of DEFAULT_TEMPLATES.filter((t) => notices.includes(t.key))) {
      const placeholders = [
        ...`${template.subject ?? ''} ${template.text}`.matchAll(/\{\{([^}]+)\}\}/g),
      ];
      expect([
        template.key,
        placeholders
          .map((m) => m[1]!)
          .filter((p) => !/^(recipient|patient)\.givenName$|^practice\.|^links\.portal$/.test(p)),
      ]).toEqual([template.key, []]);
      expect(template.text).toContain('{{links.portal}}');
    }
  });

  it('refuse a result notice edited to carry the value, the test or the drug', () => {
    const lab = DEFAULT_TEMPLATES.find(
      (t) => t.key === 'lab-result-available' && t.language === 'en' && t.channel === 'sms',
    )!;
    for (const placeholder of [
      'observation.valueQuantity',
      'result.value',
      'lab.testName',
      'observation.code',
    ])
      expect(
        validateTemplate({ ...lab, text: `${lab.text} {{${placeholder}}}` })
          .filter((f) => f.severity === 'error')
          .map((f) => f.code),
      ).toContain('PHI_CLINICAL_PLACEHOLDER');
    const refill = DEFAULT_TEMPLATES.find(
      (t) => t.key === 'refill-due' && t.language === 'en' && t.channel === 'sms',
    )!;
    expect(
      validateTemplate({ ...refill, text: `${refill.text} {{medication.name}}` }).map(
        (f) => f.code,
      ),
    ).toContain('PHI_CLINICAL_PLACEHOLDER');
  });

  it('send their SMSes as GSM-7 in at most two segments, Spanish included', () => {
    const sizes = DEFAULT_TEMPLATES.filter((t) => t.channel === 'sms').map((t) => {
      const { encoding, segments } = smsSegments(renderTemplate(t, model).text);
      return [`${t.key}/${t.language}`, encoding, segments <= 2];
    });
    expect(sizes).toEqual(sizes.map(([key]) => [key, 'GSM-7', true]));
  });

  it('give the email HTML a paragraph per block and anchors for links', () => {
    const template = DEFAULT_TEMPLATES.find(
      (t) => t.key === 'lab-result-available' && t.language === 'en' && t.channel === 'any',
    )!;
    expect(renderTemplate(template, model).html).toBe(
      '<p>Hi Ana,</p>\n<p>A new result for Majo is available in the patient portal: <a href="https://x.test/p">https://x.test/p</a></p>\n<p>Questions? Call +1 555 0100.</p>',
    );
  });
});
