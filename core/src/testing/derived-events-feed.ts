import { CareTeamMember, CareTeamPatient, Role, User } from '@caregraph/schema';
import { authenticated } from '../context/authenticated.js';
import type { AuthenticatedContext } from '../context/request-context.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { CARE_TEAM_ROLES } from '../security/root-field-access.js';
import { write, type WriteScope } from '../services/transaction.js';
import type { TestHub } from './create-test-hub.js';
import { openSubscription, type TestSubscription } from './subscription-client.js';

/** The subject types a feed event may carry (the `CareEventSubject` union). */
const SUBJECT_TYPES = [
  'Patient',
  'Appointment',
  'Task',
  'Consent',
  'CareTeamMember',
  'CareTeamPatient',
  'Encounter',
  'Observation',
  'CarePlan',
  'Communication',
];
const FEED = `subscription { careTeamFeed {
  id type summary patient { id }
  subject { __typename ${SUBJECT_TYPES.map((type) => `... on ${type} { id }`).join(' ')} }
} }`;
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/** An event as a care-team feed delivers it. */
export interface FeedEvent {
  id: string;
  type: string;
  summary: string;
  patient: { id: string };
  subject: { __typename: string; id: string };
}

/** A derived event as `eventsOf` reports it: [type, subject type, subject id] (null: deleted). */
export type ReceivedEvent = [string, string | null, string | null];

/**
 * Two care-team feeds of the seed for checking "exactly these events": a clinician on the care
 * team of `member.patientId`, and one off that patient's teams with a patient of their own.
 * Each check writes, then commits a sentinel task; once the sentinel arrives every earlier event
 * has been delivered or dropped (positions are in commit order), so no check waits for silence.
 */
export interface DerivedEventsFeeds {
  member: { userId: string; patientId: string; careTeamId: string };
  outsider: { userId: string; ownPatientId: string };
  memberFeed: TestSubscription<FeedEvent>;
  outsiderFeed: TestSubscription<FeedEvent>;
  /** Commits a sentinel task for `patientId` and waits until `feed` has it; its id. */
  sentinel(feed: TestSubscription<FeedEvent>, patientId: string): Promise<string>;
  /**
   * Runs `change` and returns what the member's feed received for it, about the member's
   * patient unless `anyPatient`.
   */
  eventsOf(change: () => Promise<unknown>, anyPatient?: boolean): Promise<ReceivedEvent[]>;
  /** The same for the outsider's feed, about the outsider's patient. */
  outsiderEventsOf(change: () => Promise<unknown>): Promise<ReceivedEvent[]>;
  /** Runs `work` through `write()` as a physician of the demo tenant. */
  writeAs<T>(work: (scope: WriteScope) => Promise<T>): Promise<T>;
  /** Runs `work` with the context of a care coordinator, for a service call. */
  asCoordinator<T>(work: (ctx: AuthenticatedContext) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function pickPeople(t: TestHub) {
  const [members, enrolments, users] = await t.inTenant((em) =>
    Promise.all([
      em.find(CareTeamMember, { periodEnd: null }),
      em.find(CareTeamPatient, { periodEnd: null }),
      em.find(User, { practitioner: { $ne: null }, active: true }, { orderBy: { email: 'asc' } }),
    ]),
  );
  const clinicians = users.filter((u) => u.roles.some((r) => CARE_TEAM_ROLES.includes(r)));
  const teamsOf = (user: User) =>
    new Set(
      members.filter((m) => m.practitioner.id === user.practitioner!.id).map((m) => m.careTeam.id),
    );
  const patientsOf = (user: User) =>
    new Set(enrolments.filter((e) => teamsOf(user).has(e.careTeam.id)).map((e) => e.patient.id));
  for (const candidate of clinicians) {
    const own = patientsOf(candidate);
    const other = clinicians.find(
      (u) => u !== candidate && ![...patientsOf(u)].some((p) => own.has(p)) && patientsOf(u).size,
    );
    if (own.size && other) {
      const patientId = [...own][0]!;
      const careTeamId = enrolments.find(
        (e) => e.patient.id === patientId && teamsOf(candidate).has(e.careTeam.id),
      )!.careTeam.id;
      return {
        member: { userId: candidate.id, patientId, careTeamId },
        outsider: { userId: other.id, ownPatientId: [...patientsOf(other)][0]! },
      };
    }
  }
  throw new Error('the seed has no two clinicians with disjoint patients');
}

/** Picks the two clinicians of the seed and opens their feeds, live once each saw a sentinel. */
export async function openDerivedEventsFeeds(t: TestHub): Promise<DerivedEventsFeeds> {
  const { member, outsider } = await pickPeople(t);
  const contextAs = async (role: Role) =>
    authenticated(
      await t.hub.contexts.create({ authorization: `Bearer ${await t.token({ role })}` }),
    );
  const sentinel = async (feed: TestSubscription<FeedEvent>, patientId: string) => {
    const res = await t.graphql<{ createTask: { id: string } }>(
      CREATE_TASK,
      { input: { patientId, title: 'Sentinel' } },
      { role: Role.PHYSICIAN },
    );
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    const taskId = res.body.data!.createTask.id;
    const deadline = Date.now() + 15_000;
    while (!feed.events.some((e) => e.subject?.id === taskId)) {
      if (feed.errors.length) throw new Error(JSON.stringify(feed.errors));
      if (Date.now() > deadline) throw new Error('the sentinel event did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return taskId;
  };
  const memberFeed = await openSubscription<FeedEvent>(
    t,
    await t.token({ userId: member.userId }),
    FEED,
  );
  const outsiderFeed = await openSubscription<FeedEvent>(
    t,
    await t.token({ userId: outsider.userId }),
    FEED,
  );
  const eventsOf = async (
    feed: TestSubscription<FeedEvent>,
    patientId: string | undefined,
    change: () => Promise<unknown>,
  ): Promise<ReceivedEvent[]> => {
    const from = feed.events.length;
    await change();
    const taskId = await sentinel(feed, patientId ?? member.patientId);
    const received = feed.events.slice(from);
    const last = received.at(-1);
    if (last?.type !== 'TASK_ASSIGNED' || last.subject.id !== taskId)
      throw new Error(`the sentinel is not the last event: ${JSON.stringify(last)}`);
    if (patientId && received.some((event) => event.patient.id !== patientId))
      throw new Error(`an event about another patient: ${JSON.stringify(received)}`);
    return received
      .slice(0, -1)
      .map((e) => [e.type, e.subject?.__typename ?? null, e.subject?.id ?? null]);
  };
  await sentinel(memberFeed, member.patientId);
  await sentinel(outsiderFeed, outsider.ownPatientId);
  return {
    member,
    outsider,
    memberFeed,
    outsiderFeed,
    sentinel,
    eventsOf: (change, anyPatient = false) =>
      eventsOf(memberFeed, anyPatient ? undefined : member.patientId, change),
    outsiderEventsOf: (change) => eventsOf(outsiderFeed, outsider.ownPatientId, change),
    writeAs: (work) =>
      withTenantScope(t.seed.tenantId, async () => write(await contextAs(Role.PHYSICIAN), work)),
    asCoordinator: (work) =>
      withTenantScope(t.seed.tenantId, async () => work(await contextAs(Role.CARE_COORDINATOR))),
    async close() {
      await memberFeed.close();
      await outsiderFeed.close();
    },
  };
}
