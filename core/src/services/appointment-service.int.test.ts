import { Role } from '@caregraph/schema';
import { createTestHub, type GraphQLResponse, type TestHub } from '../testing/create-test-hub.js';

const BOOK = `mutation($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id status start end practitioner { id } }
}`;
const CANCEL = `mutation($id: ID!, $reason: String) {
  cancelAppointment(id: $id, reason: $reason) { id status cancellationReason cancelledAt }
}`;
const RESCHEDULE = `mutation($id: ID!, $input: RescheduleAppointmentInput!) {
  rescheduleAppointment(id: $id, input: $input) { id status start end }
}`;
const SET_STATUS = `mutation($id: ID!, $status: AppointmentStatus!) { setAppointmentStatus(id: $id, status: $status) { id status } }`;
const LIST = `query($practitionerId: ID, $from: DateTimeISO, $to: DateTimeISO, $first: Int, $after: String) {
  appointments(practitionerId: $practitionerId, from: $from, to: $to, first: $first, after: $after) {
    edges { cursor node { id start status } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Booked = {
  bookAppointment: {
    id: string;
    status: string;
    start: string;
    end: string;
    practitioner: { id: string };
  };
};
type ListResult = {
  appointments: {
    edges: { node: { id: string; start: string; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
};

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

let t: TestHub;
let patientIds: string[];
let practitionerIds: string[];
/** A base time two years ahead, on the hour, far beyond the seeded schedule. */
let base: number;
let nextDay = 0;

/** A fresh, empty day for one test (days never repeat within the suite). */
function freshDay(): number {
  nextDay += 1;
  return base + nextDay * 24 * HOUR;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function book(
  start: number,
  end: number,
  options: { patient?: number; practitioner?: number } = {},
) {
  return t.graphql<Booked>(
    BOOK,
    {
      input: {
        patientId: patientIds[options.patient ?? 0],
        practitionerId: practitionerIds[options.practitioner ?? 0],
        start: iso(start),
        end: iso(end),
      },
    },
    { role: Role.FRONT_DESK },
  );
}

function errorOf(res: GraphQLResponse) {
  return res.body.errors?.[0];
}

function expectBooked(res: GraphQLResponse<Booked>): Booked['bookAppointment'] {
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.bookAppointment;
}

beforeAll(async () => {
  t = await createTestHub();
  const patients = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    '{ patients(first: 3) { edges { node { id } } } }',
    {},
    { role: Role.FRONT_DESK },
  );
  patientIds = patients.body.data!.patients.edges.map((e) => e.node.id);
  const practitioners = await t.graphql<{ practitioners: { edges: { node: { id: string } }[] } }>(
    '{ practitioners(first: 20) { edges { node { id } } } }',
    {},
    { role: Role.FRONT_DESK },
  );
  practitionerIds = practitioners.body.data!.practitioners.edges.map((e) => e.node.id);
  expect(patientIds.length).toBe(3);
  expect(practitionerIds.length).toBeGreaterThanOrEqual(2);
  const twoYears = Date.now() + 730 * 24 * HOUR;
  base = twoYears - (twoYears % HOUR);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('bookAppointment', () => {
  it('books a future slot with a seeded practitioner as front desk, with status BOOKED', async () => {
    const start = freshDay() + 9 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    expect(booked.status).toBe('BOOKED');
    expect(booked.practitioner.id).toBe(practitionerIds[0]);
    expect(new Date(booked.start).getTime()).toBe(start);
    expect(new Date(booked.end).getTime()).toBe(start + 30 * MINUTE);
  });

  it('refuses a second overlapping booking of the same practitioner with CONFLICT and a path', async () => {
    const start = freshDay() + 9 * HOUR;
    expectBooked(await book(start, start + 30 * MINUTE));
    const clash = await book(start + 15 * MINUTE, start + 45 * MINUTE, { patient: 1 });
    expect(errorOf(clash)?.extensions?.code).toBe('CONFLICT');
    expect(errorOf(clash)?.extensions?.path).toEqual(['input', 'start']);
    expect(clash.body.data?.bookAppointment ?? null).toBeNull();
    // another practitioner is free at that time
    expectBooked(
      await book(start + 15 * MINUTE, start + 45 * MINUTE, { patient: 1, practitioner: 1 }),
    );
  });

  it('lets exactly one of two concurrent overlapping bookings succeed (practitioner row locked)', async () => {
    const start = freshDay() + 10 * HOUR;
    const results = await Promise.all([
      book(start, start + 30 * MINUTE, { patient: 0 }),
      book(start + 10 * MINUTE, start + 40 * MINUTE, { patient: 1 }),
    ]);
    const succeeded = results.filter((r) => !r.body.errors && r.body.data?.bookAppointment);
    const conflicts = results.filter((r) => errorOf(r)?.extensions?.code === 'CONFLICT');
    expect(succeeded).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    const day = await t.graphql<ListResult>(
      LIST,
      { practitionerId: practitionerIds[0], from: iso(start - HOUR), to: iso(start + HOUR) },
      { role: Role.FRONT_DESK },
    );
    expect(day.body.data!.appointments.edges.map((e) => e.node.id)).toEqual([
      succeeded[0]!.body.data!.bookAppointment.id,
    ]);
  });

  it('allows an adjacent slot (end of one == start of the next)', async () => {
    const start = freshDay() + 11 * HOUR;
    expectBooked(await book(start, start + 30 * MINUTE));
    const next = expectBooked(await book(start + 30 * MINUTE, start + 60 * MINUTE, { patient: 1 }));
    expect(next.status).toBe('BOOKED');
    const before = expectBooked(await book(start - 30 * MINUTE, start, { patient: 2 }));
    expect(before.status).toBe('BOOKED');
  });

  it('answers BAD_USER_INPUT on input.end when end <= start', async () => {
    const start = freshDay() + 9 * HOUR;
    for (const end of [start, start - 30 * MINUTE]) {
      const res = await book(start, end);
      expect(errorOf(res)?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errorOf(res)?.extensions?.invalidFields).toEqual([
        { path: ['input', 'end'], message: expect.any(String) },
      ]);
    }
  });

  it('answers BAD_USER_INPUT on input.start for a start in the past', async () => {
    const start = Date.now() - 2 * HOUR;
    const res = await book(start, start + 30 * MINUTE);
    expect(errorOf(res)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errorOf(res)?.extensions?.invalidFields).toEqual([
      { path: ['input', 'start'], message: expect.any(String) },
    ]);
  });
});

describe('cancelAppointment', () => {
  it('sets CANCELLED with the reason and frees the slot', async () => {
    const start = freshDay() + 14 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const cancelled = await t.graphql<{
      cancelAppointment: { status: string; cancellationReason: string; cancelledAt: string };
    }>(CANCEL, { id: booked.id, reason: 'Patient request' }, { role: Role.FRONT_DESK });
    expect(cancelled.body.errors).toBeUndefined();
    expect(cancelled.body.data!.cancelAppointment).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'Patient request',
    });
    expect(
      new Date(cancelled.body.data!.cancelAppointment.cancelledAt).getTime(),
    ).toBeLessThanOrEqual(Date.now());
    const again = expectBooked(await book(start, start + 30 * MINUTE, { patient: 1 }));
    expect(again.status).toBe('BOOKED');
    expect(again.id).not.toBe(booked.id);
  });

  it('answers CONFLICT when cancelling twice', async () => {
    const start = freshDay() + 15 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const first = await t.graphql(CANCEL, { id: booked.id }, { role: Role.FRONT_DESK });
    expect(first.body.errors).toBeUndefined();
    const second = await t.graphql(CANCEL, { id: booked.id }, { role: Role.FRONT_DESK });
    expect(errorOf(second)?.extensions?.code).toBe('CONFLICT');
  });
});

describe('rescheduleAppointment', () => {
  function reschedule(id: string, start: number, end: number) {
    return t.graphql<{ rescheduleAppointment: { id: string; start: string; end: string } }>(
      RESCHEDULE,
      { id, input: { start: iso(start), end: iso(end) } },
      { role: Role.FRONT_DESK },
    );
  }

  it('moves the appointment, frees the old slot and records an AppointmentRescheduled event', async () => {
    const start = freshDay() + 9 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const later = start + 2 * HOUR;
    const moved = await reschedule(booked.id, later, later + 30 * MINUTE);
    expect(moved.body.errors).toBeUndefined();
    expect(moved.body.data!.rescheduleAppointment).toMatchObject({
      id: booked.id,
      start: iso(later),
      end: iso(later + 30 * MINUTE),
    });
    expectBooked(await book(start, start + 30 * MINUTE, { patient: 1 }));
    const events = await t.sql<{ type: string }>(
      `select type from outbox_event where payload->'subject'->>'id' = ? order by sequence`,
      [booked.id],
    );
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked', 'AppointmentRescheduled']);
  });

  it('moves within its own slot (a later end overlapping itself is no conflict)', async () => {
    const start = freshDay() + 10 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const res = await reschedule(booked.id, start + 15 * MINUTE, start + 45 * MINUTE);
    expect(res.body.errors).toBeUndefined();
  });

  it("answers CONFLICT with a path when the new time overlaps another of the practitioner's", async () => {
    const day = freshDay();
    const first = expectBooked(await book(day + 11 * HOUR, day + 11 * HOUR + 30 * MINUTE));
    const second = expectBooked(
      await book(day + 12 * HOUR, day + 12 * HOUR + 30 * MINUTE, { patient: 1 }),
    );
    const res = await reschedule(second.id, day + 11 * HOUR + 15 * MINUTE, day + 12 * HOUR);
    expect(errorOf(res)?.extensions?.code).toBe('CONFLICT');
    expect(errorOf(res)?.extensions?.path).toEqual(['input', 'start']);
    expect(first.id).not.toBe(second.id);
  });

  it('answers BAD_USER_INPUT at input.start for a time in the past, and CONFLICT once cancelled', async () => {
    const start = freshDay() + 13 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const past = await reschedule(booked.id, Date.now() - HOUR, Date.now() - 30 * MINUTE);
    expect(errorOf(past)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(errorOf(past)?.extensions)).toContain('start');
    await t.graphql(CANCEL, { id: booked.id }, { role: Role.FRONT_DESK });
    const cancelled = await reschedule(booked.id, start + HOUR, start + 90 * MINUTE);
    expect(errorOf(cancelled)?.extensions?.code).toBe('CONFLICT');
  });
});

describe('setAppointmentStatus', () => {
  it('follows the lifecycle: BOOKED → ARRIVED → FULFILLED, and refuses FULFILLED → BOOKED', async () => {
    const start = freshDay() + 16 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const arrived = await t.graphql<{ setAppointmentStatus: { status: string } }>(
      SET_STATUS,
      { id: booked.id, status: 'ARRIVED' },
      { role: Role.FRONT_DESK },
    );
    expect(arrived.body.errors).toBeUndefined();
    expect(arrived.body.data!.setAppointmentStatus.status).toBe('ARRIVED');
    const fulfilled = await t.graphql<{ setAppointmentStatus: { status: string } }>(
      SET_STATUS,
      { id: booked.id, status: 'FULFILLED' },
      { role: Role.NURSE },
    );
    expect(fulfilled.body.errors).toBeUndefined();
    expect(fulfilled.body.data!.setAppointmentStatus.status).toBe('FULFILLED');
    const back = await t.graphql(
      SET_STATUS,
      { id: booked.id, status: 'BOOKED' },
      { role: Role.FRONT_DESK },
    );
    expect(errorOf(back)?.extensions?.code).toBe('CONFLICT');
    // the slot is no longer held once fulfilled
    expectBooked(await book(start, start + 30 * MINUTE, { patient: 1 }));
  });

  it('records an AppointmentNoShow event with the no-show (issue #4 event catalogue)', async () => {
    const start = freshDay() + 17 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    const res = await t.graphql(
      SET_STATUS,
      { id: booked.id, status: 'NO_SHOW' },
      { role: Role.FRONT_DESK },
    );
    expect(res.body.errors).toBeUndefined();
    const events = await t.sql<{ type: string }>(
      `select type from outbox_event where payload->'subject'->>'id' = ? order by sequence`,
      [booked.id],
    );
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked', 'AppointmentNoShow']);
  });

  it('records an AppointmentFulfilled event once the visit took place (issue 6 follow-ups)', async () => {
    const start = freshDay() + 18 * HOUR;
    const booked = expectBooked(await book(start, start + 30 * MINUTE));
    for (const status of ['ARRIVED', 'FULFILLED']) {
      const res = await t.graphql(SET_STATUS, { id: booked.id, status }, { role: Role.FRONT_DESK });
      expect(res.body.errors).toBeUndefined();
    }
    const events = await t.sql<{ type: string }>(
      `select type from outbox_event where payload->'subject'->>'id' = ? order by sequence`,
      [booked.id],
    );
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked', 'AppointmentFulfilled']);
  });
});

describe('appointments query', () => {
  it('pages a practitioner’s appointments between from and to in start order', async () => {
    const day = freshDay();
    // booked out of order, with one just outside the window on each side
    const starts = [13, 9, 11, 10, 12].map((h) => day + h * HOUR);
    const ids = new Map<number, string>();
    for (const [index, start] of starts.entries()) {
      ids.set(
        start,
        expectBooked(
          await book(start, start + 30 * MINUTE, { patient: index % 3, practitioner: 1 }),
        ).id,
      );
    }
    expectBooked(await book(day + 8 * HOUR, day + 8 * HOUR + 30 * MINUTE, { practitioner: 1 }));
    expectBooked(await book(day + 14 * HOUR, day + 14 * HOUR + 30 * MINUTE, { practitioner: 1 }));
    // someone else's appointment inside the window is not listed
    expectBooked(await book(day + 9 * HOUR, day + 10 * HOUR, { practitioner: 0 }));

    const seen: { id: string; start: string }[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await t.graphql<ListResult>(
        LIST,
        {
          practitionerId: practitionerIds[1],
          from: iso(day + 9 * HOUR),
          to: iso(day + 14 * HOUR),
          first: 2,
          after,
        },
        { role: Role.FRONT_DESK },
      );
      expect(res.body.errors).toBeUndefined();
      const connection = res.body.data!.appointments;
      expect(connection.edges.length).toBeLessThanOrEqual(2);
      seen.push(...connection.edges.map((e) => e.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const expected = [...starts].sort((a, b) => a - b);
    expect(seen.map((a) => new Date(a.start).getTime())).toEqual(expected);
    expect(seen.map((a) => a.id)).toEqual(expected.map((s) => ids.get(s)));
  });
});
