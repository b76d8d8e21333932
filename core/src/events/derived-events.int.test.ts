/**
 * Issue 4, the event catalogue: clinical events derived from a transaction's changes (the unit
 * of work), whoever writes — a core service, `write()` directly, a plugin through its context.
 * Each test writes, then reads what the member's feed received for it (`openDerivedEventsFeeds`:
 * a sentinel task marks the end, so "exactly these events" is checked without waiting).
 */
import { randomUUID } from 'node:crypto';
import {
  Appointment,
  AppointmentStatus,
  CareEventType,
  CarePlan,
  CarePlanActivity,
  CarePlanActivityStatus,
  CarePlanGoal,
  CareTeamMember,
  CareTeamPatient,
  CodedConcept,
  Communication,
  CommunicationChannel,
  CommunicationStatus,
  Encounter,
  EncounterClass,
  EncounterStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Practitioner,
  Role,
  User,
} from '@caregraph/schema';
import { definePlugin } from '@caregraph/plugin-sdk';
import { addCareTeamMember, removeCareTeamMember } from '../services/care-team-service.js';
import type { WriteScope } from '../services/transaction.js';
import { createUserWithRoles } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { openDerivedEventsFeeds, type DerivedEventsFeeds } from '../testing/derived-events-feed.js';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
const CANCEL = 'mutation($id: ID!) { cancelAppointment(id: $id) { id } }';
const GLUCOSE = { system: 'http://loinc.org', code: '2345-7', display: 'Glucose' };

/** A test plugin: a lab interface recording results, an ADT feed admitting through `write`. */
const interfaces = definePlugin({
  id: 'interfaces',
  version: '1.0.0',
  apiVersion: '^1.1.0',
  routes: [
    {
      method: 'POST',
      path: '/lab',
      handler: async (request, ctx) => {
        const { tenantId, userId, patientId } = request.body as Record<string, string>;
        const { observation } = await ctx.inTenant(
          { tenantId: tenantId!, userId: userId! },
          (scope) =>
            scope.observations.record({
              patientId: patientId!,
              category: ObservationCategory.LABORATORY,
              code: GLUCOSE,
              valueQuantity: 5.4,
              unit: 'mmol/L',
              effectiveAt: new Date(),
            }),
        );
        return { status: 200, body: { id: observation.id } };
      },
    },
    {
      method: 'POST',
      path: '/admit',
      handler: async (request, ctx) => {
        const { tenantId, userId, patientId } = request.body as Record<string, string>;
        const id = await ctx.inTenant({ tenantId: tenantId!, userId: userId! }, (scope) =>
          scope.write(async ({ em }) => {
            const encounter = em.create(Encounter, {
              tenantId: tenantId!,
              patient: em.getReference(Patient, patientId!),
              status: EncounterStatus.IN_PROGRESS,
              class: EncounterClass.EMERGENCY,
              periodStart: new Date(),
            });
            return encounter.id;
          }),
        );
        return { status: 200, body: { id } };
      },
    },
  ],
});

let t: TestHub;
let feeds: DerivedEventsFeeds;
/** A clinician on the care team of `patientId`. */
let member: DerivedEventsFeeds['member'];
const eventsOf: DerivedEventsFeeds['eventsOf'] = (change, anyPatient) =>
  feeds.eventsOf(change, anyPatient);
const writeAs: DerivedEventsFeeds['writeAs'] = (work) => feeds.writeAs(work);
const asCoordinator: DerivedEventsFeeds['asCoordinator'] = (work) => feeds.asCoordinator(work);

/** Calls a route of the test plugin for the member's patient, as the integration user. */
async function callPlugin(route: 'admit' | 'lab'): Promise<string> {
  const res = await fetch(new URL(`/plugins/interfaces/${route}`, t.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId: t.seed.tenantId,
      userId: t.userIdOf(Role.INTEGRATION),
      patientId: member.patientId,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  t = await createTestHub({ plugins: [interfaces] });
  feeds = await openDerivedEventsFeeds(t);
  member = feeds.member;
}, 180_000);

afterAll(async () => {
  await feeds?.close();
  await t?.stop();
});

function encounter(scope: WriteScope, cls: EncounterClass, status: EncounterStatus) {
  return scope.em.create(Encounter, {
    tenantId: t.seed.tenantId,
    patient: scope.em.getReference(Patient, member.patientId),
    status,
    class: cls,
    periodStart: new Date(),
  });
}

function labResult(scope: WriteScope, status: ObservationStatus, securityLabels: string[] = []) {
  return scope.em.create(Observation, {
    tenantId: t.seed.tenantId,
    patient: scope.em.getReference(Patient, member.patientId),
    status,
    category: ObservationCategory.LABORATORY,
    code: Object.assign(new CodedConcept(), GLUCOSE),
    valueQuantity: 6.1,
    unit: 'mmol/L',
    effectiveAt: new Date(),
    securityLabels,
  });
}

describe('PatientAdmitted and PatientDischarged (Encounter)', () => {
  it('derives an admission when a stay goes in progress and a discharge when it finishes', async () => {
    const id = await writeAs(
      async (scope) => encounter(scope, EncounterClass.INPATIENT, EncounterStatus.ARRIVED).id,
    );
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          (await scope.em.findOneOrFail(Encounter, id)).status = EncounterStatus.IN_PROGRESS;
        }),
      ),
    ).toEqual([['PATIENT_ADMITTED', 'Encounter', id]]);
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          const stay = await scope.em.findOneOrFail(Encounter, id);
          stay.status = EncounterStatus.FINISHED;
          stay.periodEnd = new Date();
        }),
      ),
    ).toEqual([['PATIENT_DISCHARGED', 'Encounter', id]]);
  });

  it('derives nothing for an ambulatory visit', async () => {
    expect(
      await eventsOf(() =>
        writeAs(async (scope) =>
          encounter(scope, EncounterClass.AMBULATORY, EncounterStatus.IN_PROGRESS),
        ),
      ),
    ).toEqual([]);
  });

  it('derives an admission written by a plugin through its context', async () => {
    let id = '';
    const events = await eventsOf(async () => {
      id = await callPlugin('admit');
    });
    expect(events).toEqual([['PATIENT_ADMITTED', 'Encounter', id]]);
  });
});

describe('LabResultAvailable (Observation)', () => {
  it('derives nothing for a preliminary result and the event once it is final', async () => {
    let id = '';
    expect(
      await eventsOf(async () => {
        id = await writeAs(async (scope) => labResult(scope, ObservationStatus.PRELIMINARY).id);
      }),
    ).toEqual([]);
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          (await scope.em.findOneOrFail(Observation, id)).status = ObservationStatus.FINAL;
        }),
      ),
    ).toEqual([['LAB_RESULT_AVAILABLE', 'Observation', id]]);
  });

  it('derives it for a lab result recorded through the sdk observation service', async () => {
    let id = '';
    const events = await eventsOf(async () => {
      id = await callPlugin('lab');
    });
    expect(events).toEqual([['LAB_RESULT_AVAILABLE', 'Observation', id]]);
  });

  it('withholds a result labelled substance use from the care team, as the observations list does', async () => {
    let id = '';
    const events = await eventsOf(async () => {
      id = await writeAs(async (scope) => labResult(scope, ObservationStatus.FINAL, ['ETH']).id);
    });
    expect(events).toEqual([]);
    const [row] = await t.sql<{ type: string }>(
      "select type from outbox_event where payload->'subject'->>'id' = ?",
      [id],
    );
    expect(row).toEqual({ type: CareEventType.LAB_RESULT_AVAILABLE });
    const listed = await t.graphql<{
      patient: { observations: { edges: { node: { id: string } }[] } };
    }>(
      'query($id: ID!) { patient(id: $id) { observations(first: 100) { edges { node { id } } } } }',
      { id: member.patientId },
      { userId: member.userId },
    );
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data!.patient.observations.edges.map((e) => e.node.id)).not.toContain(id);
  });
});

describe('LabResultReleased (releaseLabResult)', () => {
  const RELEASE = `mutation($id: ID!) { releaseLabResult(observationId: $id) { id releasedToPatient } }`;
  const release = (id: string, token: string) =>
    t.graphql<{ releaseLabResult: { id: string; releasedToPatient: boolean } }>(
      RELEASE,
      { id },
      { token },
    );
  const practitionerOf = (userId: string) =>
    t.inTenant(async (em) => (await em.findOneOrFail(User, userId)).practitioner!.id);
  const released = (id: string) =>
    t.inTenant(async (em) => (await em.findOneOrFail(Observation, id)).releasedToPatient);

  it('a nurse on the care team releases a final result once: one event, one audit row', async () => {
    const nurse = await createUserWithRoles(t, [Role.NURSE], await practitionerOf(member.userId));
    let id = '';
    expect(
      await eventsOf(async () => {
        id = await writeAs(async (scope) => labResult(scope, ObservationStatus.FINAL).id);
      }),
    ).toEqual([['LAB_RESULT_AVAILABLE', 'Observation', id]]);
    let res: Awaited<ReturnType<typeof release>> | undefined;
    expect(
      await eventsOf(async () => {
        res = await release(id, nurse.token);
      }),
    ).toEqual([['LAB_RESULT_RELEASED', 'Observation', id]]);
    expect(res!.body.errors).toBeUndefined();
    expect(res!.body.data!.releaseLabResult).toEqual({ id, releasedToPatient: true });
    // Again: the same answer, no second event or audit row.
    expect(
      await eventsOf(async () => {
        res = await release(id, nurse.token);
      }),
    ).toEqual([]);
    expect(res!.body.data!.releaseLabResult).toEqual({ id, releasedToPatient: true });
    const rows = await t.sql<{ n: number }>(
      "select count(*)::int as n from audit_event where entity = ? and type = 'observation.release'",
      [`Observation/${id}`],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses a coordinator, a nurse off the care team, a result not final and a withheld one', async () => {
    const practitionerId = await practitionerOf(member.userId);
    const coordinator = await createUserWithRoles(t, [Role.CARE_COORDINATOR], practitionerId);
    const outsider = await createUserWithRoles(
      t,
      [Role.NURSE],
      await practitionerOf(feeds.outsider.userId),
    );
    const nurse = await createUserWithRoles(t, [Role.NURSE], practitionerId);
    const id = await writeAs(async (scope) => labResult(scope, ObservationStatus.FINAL).id);
    const code = async (observationId: string, token: string) =>
      (await release(observationId, token)).body.errors?.[0]?.extensions?.code;
    expect(await code(id, coordinator.token)).toBe('FORBIDDEN');
    expect(await code(id, outsider.token)).toBe('FORBIDDEN');
    expect(await released(id)).toBe(false);
    const preliminary = await writeAs(
      async (scope) => labResult(scope, ObservationStatus.PRELIMINARY).id,
    );
    expect(await code(preliminary, nurse.token)).toBe('CONFLICT');
    // Substance use (42 CFR Part 2) without the patient's permit: not found for the care team.
    const labelled = await writeAs(
      async (scope) => labResult(scope, ObservationStatus.FINAL, ['ETH']).id,
    );
    expect(await code(labelled, nurse.token)).toBe('NOT_FOUND');
    expect(await code(randomUUID(), nurse.token)).toBe('NOT_FOUND');
    expect(await released(preliminary)).toBe(false);
    expect(await released(labelled)).toBe(false);
  });
});

describe('Appointment events', () => {
  const slot = (offsetHours: number) => {
    const start = new Date(Date.now() + (24 * 30 + offsetHours) * 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    return { start, end: new Date(start.getTime() + 30 * 60_000) };
  };

  it('books and cancels through the mutations with one event each (derived, not doubled)', async () => {
    const practitionerId = await t.inTenant(
      async (em) => (await em.findOneOrFail(User, member.userId)).practitioner!.id,
    );
    let id = '';
    expect(
      await eventsOf(async () => {
        const { start, end } = slot(Math.floor(Math.random() * 1000));
        const res = await t.graphql<{ bookAppointment: { id: string } }>(
          BOOK,
          { input: { patientId: member.patientId, practitionerId, start, end } },
          { role: Role.PHYSICIAN },
        );
        expect(res.body.errors).toBeUndefined();
        id = res.body.data!.bookAppointment.id;
      }),
    ).toEqual([['APPOINTMENT_BOOKED', 'Appointment', id]]);
    expect(
      await eventsOf(async () => {
        const res = await t.graphql(CANCEL, { id }, { role: Role.PHYSICIAN });
        expect(res.body.errors).toBeUndefined();
      }),
    ).toEqual([['APPOINTMENT_CANCELLED', 'Appointment', id]]);
  });

  /** Books an appointment through `write()` (derived: AppointmentBooked) at `offsetHours`. */
  async function booked(offsetHours: number): Promise<string> {
    let id = '';
    const events = await eventsOf(async () => {
      id = await writeAs(async (scope) => {
        const appointment = scope.em.create(Appointment, {
          tenantId: t.seed.tenantId,
          patient: scope.em.getReference(Patient, member.patientId),
          status: AppointmentStatus.BOOKED,
          ...slot(offsetHours),
        });
        return appointment.id;
      });
    });
    expect(events).toEqual([['APPOINTMENT_BOOKED', 'Appointment', id]]);
    return id;
  }

  it('derives AppointmentRescheduled when an existing appointment moves', async () => {
    const id = await booked(2000);
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          const appointment = await scope.em.findOneOrFail(Appointment, id);
          Object.assign(appointment, slot(2001));
        }),
      ),
    ).toEqual([['APPOINTMENT_RESCHEDULED', 'Appointment', id]]);
    // Another field alone is not a move.
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          (await scope.em.findOneOrFail(Appointment, id)).location = 'Room 2';
        }),
      ),
    ).toEqual([]);
  });

  it('gives one event when a writer also emits the event the change implies', async () => {
    const id = await booked(2100);
    const events = await eventsOf(() =>
      writeAs(async (scope) => {
        Object.assign(await scope.em.findOneOrFail(Appointment, id), slot(2102));
        scope.emit({
          type: CareEventType.APPOINTMENT_RESCHEDULED,
          patientId: member.patientId,
          summary: 'Appointment rescheduled',
          subject: { type: 'Appointment', id },
        });
      }),
    );
    expect(events).toEqual([['APPOINTMENT_RESCHEDULED', 'Appointment', id]]);
  });
});

describe('CarePlanUpdated (CarePlan)', () => {
  it('gives one event per care plan and transaction, for the plan, its goals or activities', async () => {
    let planId = '';
    let activityId = '';
    expect(
      await eventsOf(async () => {
        [planId, activityId] = await writeAs(async (scope) => {
          const plan = scope.em.create(CarePlan, {
            tenantId: t.seed.tenantId,
            patient: scope.em.getReference(Patient, member.patientId),
            title: 'Diabetes care plan',
          });
          for (const description of ['HbA1c below 7%', 'Walk 30 minutes a day'])
            scope.em.create(CarePlanGoal, {
              tenantId: t.seed.tenantId,
              carePlan: plan,
              description,
            });
          const activity = scope.em.create(CarePlanActivity, {
            tenantId: t.seed.tenantId,
            carePlan: plan,
            description: 'Dietitian referral',
          });
          return [plan.id, activity.id];
        });
      }),
    ).toEqual([['CARE_PLAN_UPDATED', 'CarePlan', planId]]);
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          (await scope.em.findOneOrFail(CarePlanActivity, activityId)).status =
            CarePlanActivityStatus.SCHEDULED;
        }),
      ),
    ).toEqual([['CARE_PLAN_UPDATED', 'CarePlan', planId]]);
  });
});

describe('CommunicationStatusChanged (Communication)', () => {
  it('derives the event when a message is created and when its status changes, not otherwise', async () => {
    let id = '';
    expect(
      await eventsOf(async () => {
        id = await writeAs(async (scope) => {
          const message = scope.em.create(Communication, {
            tenantId: t.seed.tenantId,
            patient: scope.em.getReference(Patient, member.patientId),
            channel: CommunicationChannel.SMS,
            status: CommunicationStatus.SCHEDULED,
            category: 'reminder',
            occurredAt: new Date(),
          });
          return message.id;
        });
      }),
    ).toEqual([['COMMUNICATION_STATUS_CHANGED', 'Communication', id]]);
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          (await scope.em.findOneOrFail(Communication, id)).status = CommunicationStatus.DELIVERED;
        }),
      ),
    ).toEqual([['COMMUNICATION_STATUS_CHANGED', 'Communication', id]]);
    expect(
      await eventsOf(() =>
        writeAs(async (scope) => {
          (await scope.em.findOneOrFail(Communication, id)).about = `Appointment/${randomUUID()}`;
        }),
      ),
    ).toEqual([]);
  });
});

describe('CareTeamChanged (CareTeamMember)', () => {
  it('derives the event for each of the team’s patients when a member is added and removed', async () => {
    const [practitionerId, patients] = await t.inTenant(async (em) => {
      const current = await em.find(CareTeamMember, { careTeam: member.careTeamId });
      // Not the outsider: on the team, they would rightly receive its events.
      const outsider = await em.findOneOrFail(User, feeds.outsider.userId);
      const newcomer = await em.findOneOrFail(Practitioner, {
        id: { $nin: [...current.map((m) => m.practitioner.id), outsider.practitioner!.id] },
      });
      const enrolled = await em.count(CareTeamPatient, {
        careTeam: member.careTeamId,
        periodEnd: null,
      });
      return [newcomer.id, enrolled] as const;
    });
    const expected = (id: string) =>
      Array.from({ length: patients }, () => ['CARE_TEAM_CHANGED', 'CareTeamMember', id]);
    let memberId = '';
    const added = await eventsOf(async () => {
      memberId = await asCoordinator(async (ctx) => {
        const created = await addCareTeamMember(ctx, {
          careTeamId: member.careTeamId,
          practitionerId,
          role: {
            system: 'http://snomed.info/sct',
            code: '224535009',
            display: 'Registered nurse',
          },
        });
        return created.id;
      });
    }, true);
    expect(added).toEqual(expected(memberId));
    const removed = await eventsOf(
      () => asCoordinator((ctx) => removeCareTeamMember(ctx, memberId)),
      true,
    );
    expect(removed).toEqual(expected(memberId));
  });
});

describe('a receiver off the patient’s care teams', () => {
  it('got none of the derived events', async () => {
    const { outsider, outsiderFeed } = feeds;
    const taskId = await feeds.sentinel(outsiderFeed, outsider.ownPatientId);
    expect(outsiderFeed.errors).toEqual([]);
    expect(outsiderFeed.events.filter((e) => e.patient.id !== outsider.ownPatientId)).toEqual([]);
    expect(outsiderFeed.events.at(-1)).toMatchObject({ subject: { id: taskId } });
  });
});
