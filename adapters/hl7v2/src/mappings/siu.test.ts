import { AppointmentStatus } from '@caregraph/schema';
import { message, msh, seg, siu } from './fixtures/messages.js';
import { catchMapping, mapAs, parse } from './fixtures/test-support.js';
import { mapMessage } from './map-message.js';

describe('SIU scheduling', () => {
  it('S12 books: ids, times, status, service, reason, location, practitioner, patient', () => {
    const record = mapAs(siu('S12'), 'appointment');
    expect(record).toMatchObject({ event: 'S12', mappingVersion: 'siu-1', action: 'book' });
    expect(record.patient?.identifiers[0]?.value).toBe('MRN123456');
    const practitioner = {
      npi: '1234567893',
      name: { family: 'WELBY', given: ['MARCUS'], prefix: [], suffix: [] },
    };
    expect(record.appointment).toEqual({
      placerAppointmentId: 'PL-77',
      fillerAppointmentId: 'FL-88',
      status: AppointmentStatus.BOOKED,
      fillerStatusCode: 'Booked',
      start: new Date('2024-01-15T14:30:00Z'),
      end: new Date('2024-01-15T15:00:00Z'),
      serviceType: {
        system: 'http://www.ama-assn.org/go/cpt',
        code: '99213',
        display: 'Office visit',
      },
      description: 'Follow-up visit',
      location: 'CLINIC-A^RM5^^GENHOSP',
      practitioner,
      practitioners: [{ practitioner, role: 'ATND' }],
    });
  });

  it.each([
    ['S13', {}, 'reschedule', AppointmentStatus.BOOKED],
    ['S14', { 25: 'Pending' }, 'modify', AppointmentStatus.PENDING],
    ['S14', { 25: 'Complete' }, 'modify', AppointmentStatus.FULFILLED],
    ['S15', {}, 'cancel', AppointmentStatus.CANCELLED],
    ['S17', {}, 'delete', AppointmentStatus.ENTERED_IN_ERROR],
    ['S26', {}, 'no-show', AppointmentStatus.NO_SHOW],
  ] as const)('%s %j: %s, status %s', (trigger, sch, action, status) => {
    const record = mapAs(siu(trigger, sch), 'appointment');
    expect(record.event).toBe(trigger);
    expect(record.action).toBe(action);
    expect(record.appointment.status).toBe(status);
    expect(record.appointment.fillerAppointmentId).toBe('FL-88');
  });

  it('S15 carries the cancellation reason (SCH-6) and time (EVN-6)', () => {
    const { appointment } = mapAs(siu('S15'), 'appointment');
    expect(appointment.cancellationReason).toBe('Patient cancelled');
    expect(appointment.cancelledAt).toEqual(new Date('2024-01-10T08:55:00Z'));
  });

  it('without SCH-11 the start is AIS-4 and the end start + SCH-9/SCH-10', () => {
    const { appointment } = mapAs(siu('S12', { 9: '1', 10: 'H', 11: '' }), 'appointment');
    expect(appointment.start).toEqual(new Date('2024-01-15T14:30:00Z'));
    expect(appointment.end).toEqual(new Date('2024-01-15T15:30:00Z'));
  });

  it('a later event without PID maps without a patient; S12 without PID is a 101', () => {
    const noPid = (trigger: string) =>
      message(
        msh(`SIU^${trigger}`),
        seg('SCH', { 2: 'FL-88', 11: '^^^20240115093000^20240115100000' }),
      );
    const record = mapAs(noPid('S15'), 'appointment');
    expect(record.patient).toBeUndefined();
    expect(record.appointment.start).toEqual(new Date('2024-01-15T09:30:00Z'));
    expect(catchMapping(() => mapMessage(parse(noPid('S12')))).location).toEqual({
      segment: 'PID',
    });
  });

  it('no start anywhere is a 101 at SCH-1-11.4; no end or duration a 101 at SCH-1-9', () => {
    const noStart = message(
      msh('SIU^S12'),
      seg('SCH', { 2: 'FL-1' }),
      seg('PID', { 3: 'M1^^^H^MR' }),
    );
    expect(catchMapping(() => mapMessage(parse(noStart))).location).toEqual({
      segment: 'SCH',
      sequence: 1,
      field: 11,
      component: 4,
    });
    const noEnd = message(
      msh('SIU^S12'),
      seg('SCH', { 2: 'FL-1', 11: '^^^20240115093000' }),
      seg('PID', { 3: 'M1^^^H^MR' }),
    );
    expect(catchMapping(() => mapMessage(parse(noEnd))).location).toEqual({
      segment: 'SCH',
      sequence: 1,
      field: 9,
    });
  });

  it('a duration that is not a number is a 102 at SCH-1-9', () => {
    const error = catchMapping(() =>
      mapMessage(parse(siu('S12', { 9: 'half', 11: '^^^20240115093000' }))),
    );
    expect(error.hl7Code).toBe('102');
    expect(error.location).toEqual({ segment: 'SCH', sequence: 1, field: 9 });
  });
});
