import { Role } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

/** The "patient list" screen: one request, every relation a care-team dashboard shows. */
const PATIENT_LIST = `query($first: Int!) {
  patients(first: $first) {
    edges { node {
      id
      name { text family given }
      identifiers { system value }
      careTeams { id name members { id active practitioner { id name { text } } } }
      appointments(first: 5, upcoming: true) { edges { node { id start status practitioner { id name { text } } } } }
      observations(first: 20) { edges { node { id effectiveAt valueQuantity unit code { code display } } } }
      conditions(activeOnly: true) { edges { node { id clinicalStatus code { display } } } }
      medications(activeOnly: true) { edges { node { id status } } }
    } }
  }
}`;

type PatientList = {
  patients: {
    edges: {
      node: {
        id: string;
        identifiers: unknown[];
        careTeams: { members: { practitioner: { name: { text: string } } }[] }[];
        appointments: { edges: { node: { start: string; status: string } }[] };
        observations: { edges: unknown[] };
        conditions: { edges: unknown[] };
        medications: { edges: unknown[] };
      };
    }[];
  };
};

let t: TestHub;
let statements: string[] = [];
let counting = false;

/** Runs the patient list for `first` patients and returns the SQL statements it issued. */
async function countStatements(first: number): Promise<{ sql: string[]; data: PatientList }> {
  statements = [];
  counting = true;
  try {
    const res = await t.graphql<PatientList>(PATIENT_LIST, { first }, { role: Role.PHYSICIAN });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.patients.edges).toHaveLength(first);
    return { sql: [...statements], data: res.body.data! };
  } finally {
    counting = false;
  }
}

/** How many statements read or write each table (the first table a statement names). */
function statementsPerTable(sql: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const statement of sql) {
    const table =
      /\b(?:from|update|into)\s+"?(\w+)"?/i.exec(statement.replace(/^\[query\]\s*/, ''))?.[1] ??
      'other';
    counts[table] = (counts[table] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  t = await createTestHub({
    onQuery: (sql) => {
      // The outbox relay's background poll is not part of the request being counted.
      if (counting && !/\boutbox_event\b/.test(sql)) statements.push(sql);
    },
  });
  expect(t.seed.patientCount).toBeGreaterThanOrEqual(50);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('patient list DataLoaders', () => {
  it('issues a constant number of SQL statements per relation, whether 10 or 50 patients', async () => {
    await countStatements(10); // warm-up: metadata and connection set-up are not part of the comparison
    const ten = await countStatements(10);
    const fifty = await countStatements(50);
    console.log(
      `10 patients → ${ten.sql.length} statements, 50 patients → ${fifty.sql.length} statements`,
    );
    // An N+1 would query some table once per patient. Per table, at most two statements: two
    // resolver paths that load one kind of row (care-team members' and records' practitioners)
    // share one DataLoader batch or not depending on when their parents' rows arrive.
    for (const run of [ten, fifty]) {
      const perTable = statementsPerTable(run.sql);
      expect(Object.entries(perTable).filter(([, count]) => count > 2)).toEqual([]);
    }
    expect(Object.keys(statementsPerTable(fifty.sql)).sort()).toEqual(
      Object.keys(statementsPerTable(ten.sql)).sort(),
    );
    // One statement per relation, not per patient, plus a constant share for authorization
    // (care teams, break-glass sessions, privacy consents) and the read audit's one statement.
    expect(ten.sql.length).toBeLessThan(20);
    expect(fifty.sql.length).toBeLessThan(20);
  });

  it('really loads the nested relations it counts', async () => {
    const { data } = await countStatements(50);
    const nodes = data.patients.edges.map((e) => e.node);
    expect(nodes.every((n) => n.identifiers.length > 0)).toBe(true);
    expect(
      nodes.every((n) => n.careTeams.length > 0 && n.careTeams.every((c) => c.members.length > 0)),
    ).toBe(true);
    expect(
      nodes.some((n) =>
        n.careTeams.some((c) => c.members.some((m) => m.practitioner.name.text.length > 0)),
      ),
    ).toBe(true);
    expect(nodes.some((n) => n.appointments.edges.length > 0)).toBe(true);
    expect(nodes.some((n) => n.observations.edges.length > 0)).toBe(true);
    expect(nodes.some((n) => n.conditions.edges.length > 0)).toBe(true);
    expect(nodes.some((n) => n.medications.edges.length > 0)).toBe(true);
    const now = Date.now();
    for (const node of nodes) {
      expect(node.appointments.edges.length).toBeLessThanOrEqual(5);
      expect(node.observations.edges.length).toBeLessThanOrEqual(20);
      const starts = node.appointments.edges.map((e) => new Date(e.node.start).getTime());
      expect(starts.every((s) => s >= now - 60_000)).toBe(true);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });
});
