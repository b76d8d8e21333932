import { documentSecurityLabels, documentSensitivitySchema } from './document-labels.js';

const defaults = documentSensitivitySchema.parse({});
const note = { system: 'http://terminology.hl7.org/CodeSystem/v2-0270', code: 'PR' };

const labelsOf = (confidentiality: string | undefined, code = 'PR', config = defaults) =>
  documentSecurityLabels({ documentType: { ...note, code }, confidentiality }, config);

describe('documentSecurityLabels', () => {
  it('maps TXA-18 of table 0272: V very restricted, R restricted, U usual control', () => {
    expect(labelsOf('V')).toEqual(['V']);
    expect(labelsOf('R')).toEqual(['R']);
    expect(labelsOf('U')).toEqual([]);
    expect(labelsOf(undefined)).toEqual([]);
  });

  it('maps the v2.3 codes (VR, RE, UC) and the v3 usual-control codes (N, M, L)', () => {
    expect(labelsOf('VR')).toEqual(['V']);
    expect(labelsOf('RE')).toEqual(['R']);
    for (const code of ['UC', 'N', 'M', 'L']) expect(labelsOf(code)).toEqual([]);
  });

  it('restricts a code it does not know (deny by default), unless configured otherwise', () => {
    expect(labelsOf('3')).toEqual(['R']);
    const lenient = documentSensitivitySchema.parse({ unknownConfidentiality: null });
    expect(labelsOf('3', 'PR', lenient)).toEqual([]);
  });

  it('labels psychiatric document types (TXA-2 PC, PH) as mental health by default', () => {
    expect(labelsOf(undefined, 'PC')).toEqual(['PSY']);
    expect(labelsOf(undefined, 'ph')).toEqual(['PSY']);
    expect(labelsOf('V', 'PC')).toEqual(['PSY', 'V']);
  });

  it('adds configured codes to the defaults, and replaces a default of the same code', () => {
    const site = documentSensitivitySchema.parse({
      confidentiality: { l: 'R', U: 'R' },
      documentTypes: { SUDN: ['sud', 'ETH'], PC: [] },
    });
    expect(labelsOf('L', 'PR', site)).toEqual(['R']);
    expect(labelsOf('U', 'PR', site)).toEqual(['R']);
    expect(labelsOf('V', 'PR', site)).toEqual(['V']);
    expect(labelsOf(undefined, 'SUDN', site)).toEqual(['ETH', 'SUD']);
    expect(labelsOf(undefined, 'PC', site)).toEqual([]);
    expect(labelsOf(undefined, 'PH', site)).toEqual(['PSY']);
  });

  it('refuses labels core does not know at boot', () => {
    expect(() => documentSensitivitySchema.parse({ documentTypes: { PC: ['SECRET'] } })).toThrow();
    expect(() => documentSensitivitySchema.parse({ confidentiality: { X: 'N' } })).toThrow();
  });
});
