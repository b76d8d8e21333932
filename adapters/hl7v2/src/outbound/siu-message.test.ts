import { AdministrativeGender, AppointmentStatus, CareEventType } from '@caregraph/schema';
import { parseMessage } from '../message/index.js';
import { siuTriggerOf, writeSiu, type SiuInput } from './siu-message.js';

const name = (family: string, ...given: string[]) => ({
  use: 'official',
  family,
  given,
  prefix: [],
  suffix: [],
});

function input(overrides: Partial<SiuInput> = {}): SiuInput {
  return {
    trigger: 'S12',
    controlId: 'CTRL-1',
    now: new Date('2027-01-02T03:04:05Z'),
    sendingApplication: 'CAREGRAPH',
    sendingFacility: 'CLINIC',
    receivingApplication: 'RIS',
    receivingFacility: 'RADIOLOGY',
    appointment: {
      id: '00000000-0000-4000-8000-000000000001',
      status: AppointmentStatus.BOOKED,
      start: new Date('2027-02-01T09:00:00Z'),
      end: new Date('2027-02-01T09:30:00Z'),
      serviceType: { system: 'http://snomed.info/sct', code: '185349003', display: 'Check-up' },
      location: 'Room 4|B',
    },
    practitioner: {
      id: 'prac-1',
      npi: '1234567893',
      name: { ...name('Smith', 'Ann'), prefix: ['Dr'] },
    },
    patient: {
      id: 'pat-1',
      names: [name('Everywoman', 'Eve', 'E')],
      birthDate: '1962-03-20',
      gender: AdministrativeGender.FEMALE,
    },
    identifiers: [
      { system: 'urn:hl7v2:GHH:MR', value: 'MRN-1', type: 'MR', assigner: 'GHH' },
      { system: 'urn:oid:2.16.840.1.113883.4.1', value: '123-45-6789', type: 'SS' },
    ],
    ...overrides,
  };
}

describe('siuTriggerOf', () => {
  it('maps appointment events to SIU triggers, S14 for a booking already announced', () => {
    expect(siuTriggerOf(CareEventType.APPOINTMENT_BOOKED, false)).toBe('S12');
    expect(siuTriggerOf(CareEventType.APPOINTMENT_BOOKED, true)).toBe('S14');
    expect(siuTriggerOf(CareEventType.APPOINTMENT_RESCHEDULED, true)).toBe('S13');
    expect(siuTriggerOf(CareEventType.APPOINTMENT_CANCELLED, true)).toBe('S15');
    expect(siuTriggerOf(CareEventType.APPOINTMENT_NO_SHOW, true)).toBe('S26');
    expect(siuTriggerOf(CareEventType.TASK_ASSIGNED, false)).toBeUndefined();
  });
});

describe('writeSiu', () => {
  it('writes a v2.5.1 SIU^S12 that reads back with MSH, SCH, TQ1, PID, RGS, AIS, AIL and AIP', () => {
    const msg = parseMessage(writeSiu(input()));
    expect(msg.segments.map((s) => s.name)).toEqual([
      'MSH',
      'SCH',
      'TQ1',
      'PID',
      'RGS',
      'AIS',
      'AIL',
      'AIP',
    ]);
    expect(msg.header).toMatchObject({
      messageCode: 'SIU',
      triggerEvent: 'S12',
      messageStructure: 'SIU_S12',
      controlId: 'CTRL-1',
      version: '2.5.1',
      sendingApplication: 'CAREGRAPH',
      sendingFacility: 'CLINIC',
      receivingApplication: 'RIS',
      receivingFacility: 'RADIOLOGY',
    });
    expect(msg.get('MSH-7')).toBe('20270102030405+0000');
    expect(msg.get('MSH-18')).toBeUndefined();
    expect(msg.get('SCH-2.1')).toBe('00000000-0000-4000-8000-000000000001');
    expect(msg.get('SCH-2.2')).toBe('CAREGRAPH');
    expect(msg.get('SCH-7.1')).toBe('185349003');
    expect(msg.get('SCH-7.3')).toBe('SCT');
    expect(msg.get('SCH-9')).toBe('30');
    expect(msg.get('SCH-11.4')).toBe('20270201090000+0000');
    expect(msg.get('SCH-11.5')).toBe('20270201093000+0000');
    expect(msg.get('SCH-25.1')).toBe('Booked');
    expect(msg.get('TQ1-7')).toBe('20270201090000+0000');
    expect(msg.get('PID-3[1].1')).toBe('MRN-1');
    expect(msg.get('PID-3[1].4')).toBe('GHH');
    expect(msg.get('PID-3[1].5')).toBe('MR');
    expect(msg.get('PID-3[2].1')).toBe('123-45-6789');
    expect(msg.get('PID-3[2].4.2')).toBe('2.16.840.1.113883.4.1');
    expect(msg.get('PID-3[2].4.3')).toBe('ISO');
    expect(msg.get('PID-5.1')).toBe('Everywoman');
    expect(msg.get('PID-5.2')).toBe('Eve');
    expect(msg.get('PID-5.3')).toBe('E');
    expect(msg.get('PID-5.7')).toBe('L');
    expect(msg.get('PID-7')).toBe('19620320');
    expect(msg.get('PID-8')).toBe('F');
    expect(msg.get('AIL-3.9')).toBe('Room 4|B');
    expect(msg.get('AIP-3.1')).toBe('1234567893');
    expect(msg.get('AIP-3.2')).toBe('Smith');
    expect(msg.get('AIP-3.6')).toBe('Dr');
    expect(msg.get('AIP-3.13')).toBe('NPI');
    expect(msg.get('AIP-6')).toBe('20270201090000+0000');
  });

  it('escapes delimiters in values and says UTF-8 in MSH-18 for text that is not ASCII', () => {
    const text = writeSiu(input({ patient: { id: 'p', names: [name('Müller^x', 'José')] } }));
    expect(text).toContain('M\u00fcller\\S\\x');
    const msg = parseMessage(Buffer.from(text, 'utf8'));
    expect(msg.get('MSH-18')).toBe('UNICODE UTF-8');
    expect(msg.get('PID-5.1')).toBe('Müller^x');
    expect(msg.get('PID-5.2')).toBe('José');
  });

  it('writes a cancellation as S15 with filler status Cancelled, and leaves out what is unknown', () => {
    const msg = parseMessage(
      writeSiu(
        input({
          trigger: 'S15',
          appointment: {
            ...input().appointment,
            status: AppointmentStatus.CANCELLED,
            serviceType: undefined,
            location: undefined,
          },
          practitioner: undefined,
        }),
      ),
    );
    expect(msg.header.triggerEvent).toBe('S15');
    expect(msg.get('SCH-6.1')).toBe('CANCELLED');
    expect(msg.get('SCH-25.1')).toBe('Cancelled');
    expect(msg.segments.map((s) => s.name)).toEqual(['MSH', 'SCH', 'TQ1', 'PID', 'RGS']);
  });

  it('names a practitioner without an NPI by the hub id, with the application as authority', () => {
    const msg = parseMessage(
      writeSiu(input({ practitioner: { id: 'prac-9', name: name('Jones', 'Bo') } })),
    );
    expect(msg.get('AIP-3.1')).toBe('prac-9');
    expect(msg.get('AIP-3.9')).toBe('CAREGRAPH');
    expect(msg.get('AIP-3.13')).toBeUndefined();
  });
});
