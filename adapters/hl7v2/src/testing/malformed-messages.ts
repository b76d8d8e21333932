/**
 * Deterministic malformed HL7 messages for tests: each one has a defect the hub must refuse
 * (AR: unreadable or unacceptable header; AE: a body it cannot apply), never accept.
 */
import { seededRandom } from './seeded-random.js';

function base(id: number, kind: 'ADT' | 'ORU'): string[] {
  const msh = `MSH|^~\\&|FUZZ|FUZZ HOSPITAL|CAREGRAPH|CLINIC|20260101120000||${kind === 'ADT' ? 'ADT^A01^ADT_A01' : 'ORU^R01^ORU_R01'}|FUZZ-${id}|P|2.5.1`;
  const pid = `PID|1||FZ${id}^^^FUZZ^MR||FUZZ^PATIENT^${id}||19800101|F`;
  if (kind === 'ADT')
    return [msh, 'EVN|A01|20260101120000', pid, `PV1|1|I|W1^1^1||||||||||||||||V${id}`];
  return [
    msh,
    pid,
    'OBR|1|PL1|FL1|24331-1^Lipid panel^LN|||20260101110000||||||||||||||||||F',
    'OBX|1|NM|2093-3^Cholesterol^LN||190|mg/dL|<200|N|||F|||20260101110000',
  ];
}

/** Replaces field `n` (1-based, MSH counting MSH-1) of a segment line. */
function setField(line: string, n: number, value: string): string {
  const fields = line.split('|');
  const index = line.startsWith('MSH') ? n - 1 : n;
  while (fields.length <= index) fields.push('');
  fields[index] = value;
  return fields.join('|');
}

/** Printable garbage (no MLLP framing bytes, no segment separators). */
function garbage(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(33 + Math.floor(random() * 94));
  return out;
}

type Defect = (lines: string[], random: () => number) => string[] | string;

/** The defects, each named for the rule it breaks. */
export const DEFECTS: Record<string, Defect> = {
  noMessageType: (l) => [setField(l[0]!, 9, ''), ...l.slice(1)],
  noControlId: (l) => [setField(l[0]!, 10, ''), ...l.slice(1)],
  unsupportedVersion: (l, r) => [
    setField(l[0]!, 12, ['2.9', '3.0', 'x', '1.0'][Math.floor(r() * 4)]!),
    ...l.slice(1),
  ],
  badProcessingId: (l) => [setField(l[0]!, 11, 'Z'), ...l.slice(1)],
  unknownMessageType: (l, r) => [
    setField(l[0]!, 9, `Z${garbage(r, 2).replace(/[^A-Z]/g, 'Q')}^Q01`),
    ...l.slice(1),
  ],
  noMsh: (l) => l.slice(1),
  truncatedMsh: (l, r) => l[0]!.slice(0, 3 + Math.floor(r() * 6)),
  binaryGarbage: (_l, r) => garbage(r, 20 + Math.floor(r() * 200)),
  notASegment: (l, r) => [...l.slice(0, 2), garbage(r, 12), ...l.slice(2)],
  badGender: (l) => l.map((line) => (line.startsWith('PID') ? setField(line, 8, 'Q') : line)),
  noPatientId: (l) => l.map((line) => (line.startsWith('PID') ? setField(line, 3, '') : line)),
  badBirthDate: (l) =>
    l.map((line) => (line.startsWith('PID') ? setField(line, 7, '2026-13-45') : line)),
  noPid: (l) => l.filter((line) => !line.startsWith('PID')),
};

/** `count` malformed messages, cycling through the defects over ADT and ORU bases. */
export function malformedMessages(count: number, seed = 42): { defect: string; text: string }[] {
  const random = seededRandom(seed);
  const names = Object.keys(DEFECTS);
  return Array.from({ length: count }, (_, i) => {
    const defect = names[i % names.length]!;
    const lines = base(i, i % 2 ? 'ORU' : 'ADT');
    const result = DEFECTS[defect]!(lines, random);
    return { defect, text: typeof result === 'string' ? result : result.join('\r') };
  });
}
