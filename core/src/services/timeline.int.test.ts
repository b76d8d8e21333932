import { Role } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

const KINDS = [
  'ENCOUNTER',
  'APPOINTMENT',
  'OBSERVATION',
  'COMMUNICATION',
  'TASK',
  'CARE_PLAN',
] as const;
const ITEM_TYPES: Record<(typeof KINDS)[number], string> = {
  ENCOUNTER: 'Encounter',
  APPOINTMENT: 'Appointment',
  OBSERVATION: 'Observation',
  COMMUNICATION: 'Communication',
  TASK: 'Task',
  CARE_PLAN: 'CarePlan',
};

const TIMELINE = `query($id: ID!, $first: Int, $after: String) {
  patient(id: $id) {
    timeline(first: $first, after: $after) {
      edges { cursor node { kind occurredAt item {
        __typename
        ... on Encounter { id periodStart }
        ... on Appointment { id start }
        ... on Observation { id effectiveAt }
        ... on Communication { id occurredAt }
        ... on Task { id title authoredOn }
        ... on CarePlan { id updatedAt }
      } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** Patients with the first record of each kind, to pick one that has every kind. */
const KINDS_OF_PATIENTS = `{
  patients(first: 100) { edges { node { id
    encounters(first: 1) { edges { node { id } } }
    appointments(first: 1) { edges { node { id } } }
    observations(first: 1) { edges { node { id } } }
    communications(first: 1) { edges { node { id } } }
    tasks(first: 1) { edges { node { id } } }
    carePlans(first: 1) { edges { node { id } } }
  } } }
}`;

type Entry = {
  kind: (typeof KINDS)[number];
  occurredAt: string;
  item: { __typename: string; id: string } & Record<string, string>;
};
type TimelinePage = {
  patient: {
    timeline: {
      edges: { cursor: string; node: Entry }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

/** The time each kind of item is placed at on the timeline. */
const PLACED_AT: Record<string, string> = {
  Encounter: 'periodStart',
  Appointment: 'start',
  Observation: 'effectiveAt',
  Communication: 'occurredAt',
  Task: 'authoredOn',
  CarePlan: 'updatedAt',
};

let t: TestHub;
let patientId: string;

async function page(first: number, after?: string): Promise<TimelinePage['patient']['timeline']> {
  const res = await t.graphql<TimelinePage>(
    TIMELINE,
    { id: patientId, first, after },
    { role: Role.PHYSICIAN },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.patient.timeline;
}

/** Walks the whole timeline with pages of `size`. */
async function walk(size: number): Promise<Entry[]> {
  const entries: Entry[] = [];
  let after: string | undefined;
  for (let i = 0; i < 500; i++) {
    const current = await page(size, after);
    expect(current.edges.length).toBeLessThanOrEqual(size);
    entries.push(...current.edges.map((e) => e.node));
    if (!current.pageInfo.hasNextPage) return entries;
    after = current.pageInfo.endCursor!;
  }
  throw new Error('timeline did not end');
}

const key = (entry: Entry) => `${entry.kind}/${entry.item.id}`;

beforeAll(async () => {
  t = await createTestHub();
  const res = await t.graphql<{
    patients: { edges: { node: Record<string, unknown> & { id: string } }[] };
  }>(KINDS_OF_PATIENTS, {}, { role: Role.PHYSICIAN });
  expect(res.body.errors).toBeUndefined();
  const relations = [
    'encounters',
    'appointments',
    'observations',
    'communications',
    'tasks',
    'carePlans',
  ];
  const complete = res.body
    .data!.patients.edges.map((e) => e.node)
    .find((node) => relations.every((r) => (node[r] as { edges: unknown[] }).edges.length > 0));
  if (!complete) throw new Error('the seed has no patient with every kind of timeline record');
  patientId = complete.id;
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('patient.timeline', () => {
  it('merges every kind of record, newest first, in strict (occurredAt, id) order', async () => {
    const entries = await walk(100);
    expect(entries.length).toBeGreaterThan(KINDS.length);
    for (const kind of KINDS) expect(entries.some((e) => e.kind === kind)).toBe(true);
    for (const entry of entries) {
      expect(entry.item.__typename).toBe(ITEM_TYPES[entry.kind]);
      // occurredAt is the time that places this kind of record
      expect(new Date(entry.occurredAt).getTime()).toBe(
        new Date(entry.item[PLACED_AT[entry.item.__typename]!]!).getTime(),
      );
    }
    for (let i = 1; i < entries.length; i++) {
      const previous = new Date(entries[i - 1]!.occurredAt).getTime();
      const current = new Date(entries[i]!.occurredAt).getTime();
      expect(current).toBeLessThanOrEqual(previous);
      if (current === previous) expect(entries[i]!.item.id < entries[i - 1]!.item.id).toBe(true);
    }
  });

  it('gives the same sequence with small pages as with one big page, without duplicates or gaps', async () => {
    const big = await page(100);
    const all = await walk(100);
    expect(big.edges.map((e) => key(e.node))).toEqual(all.slice(0, 100).map(key));
    const small = await walk(7);
    expect(small.map(key)).toEqual(all.map(key));
    expect(new Set(small.map(key)).size).toBe(small.length);
  });

  it('continues after a cursor exactly where the previous page ended', async () => {
    const all = await walk(100);
    const first = await page(5);
    const second = await page(5, first.pageInfo.endCursor!);
    expect([...first.edges, ...second.edges].map((e) => key(e.node))).toEqual(
      all.slice(0, 10).map(key),
    );
    expect(second.edges[0]!.cursor).not.toBe(first.edges.at(-1)!.cursor);
  });

  it('puts a newly created task above every record that has already happened', async () => {
    const created = await t.graphql<{ createTask: { id: string } }>(
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      { input: { patientId, title: 'Review new lab results' } },
      { role: Role.NURSE },
    );
    expect(created.body.errors).toBeUndefined();
    const taskId = created.body.data!.createTask.id;
    const entries = await walk(100);
    const index = entries.findIndex((e) => e.item.id === taskId);
    expect(index).toBeGreaterThanOrEqual(0);
    const task = entries[index]!;
    expect(task.kind).toBe('TASK');
    // only records placed in the future (booked appointments, scheduled messages) come first
    const taskAt = new Date(task.occurredAt).getTime();
    for (const entry of entries.slice(0, index))
      expect(new Date(entry.occurredAt).getTime()).toBeGreaterThan(taskAt);
    expect(entries.slice(index + 1).every((e) => new Date(e.occurredAt).getTime() <= taskAt)).toBe(
      true,
    );
    // the first page (of any size) that reaches the present starts with it
    const past = entries.filter((e) => new Date(e.occurredAt).getTime() <= Date.now());
    expect(past[0]!.item.id).toBe(taskId);
  });
});
