/**
 * Plugin API 1.5.0, `patientData`: core's merge, erasure and export call a plugin's handlers.
 * `onMerge` runs in the merge's transaction (a throw rolls the merge back), `onErase` after the
 * legal-hold and retention checks and before core deletes the records (it still sees them), its
 * count joins `deletedRecords`; `lastClinicalActivity` counts for retention; the export's
 * ticket counts the plugin's resources and the bundle holds them, with the practitioners they
 * refer to.
 */
import {
  Patient,
  PatientIdentifier,
  Practitioner,
  Role,
  type CreatePatientInput,
} from '@caregraph/schema';
import { definePlugin, type PatientDataScope } from '@caregraph/plugin-sdk';
import { createTestHub, type GraphQLResponse, type TestHub } from '../testing/create-test-hub.js';

const MRN = 'urn:caregraph:test:patient-data';
const ADMIN = { role: Role.ADMIN } as const;
const COMPLIANCE = { 'x-purpose-of-use': 'HCOMPL' };

/** What the fixture plugin saw, and how it behaves. */
const seen = {
  merges: [] as { survivorId: string; loserId: string; loserActive: boolean }[],
  erasures: [] as { patientIds: readonly string[]; identifiers: number }[],
  failMerge: false,
  activity: undefined as Date | undefined,
  practitionerId: '',
};

const ledger = definePlugin({
  id: 'ledger',
  version: '1.0.0',
  apiVersion: '^1.5.0',
  patientData: {
    async onMerge(scope: PatientDataScope, survivorId, loserId) {
      if (seen.failMerge) throw new Error('ledger unavailable');
      const loser = await scope.em.findOneOrFail(Patient, loserId);
      seen.merges.push({ survivorId, loserId, loserActive: loser.active });
      return { LedgerEntry: 2, Nothing: 0 };
    },
    async onErase(scope, patientIds) {
      const identifiers = await scope.em.count(PatientIdentifier, {
        patient: { $in: [...patientIds] },
      });
      seen.erasures.push({ patientIds, identifiers });
      return 3;
    },
    async lastClinicalActivity() {
      return seen.activity;
    },
    export: {
      count: async (_scope, patientIds) => patientIds.length,
      async *resources(scope, patientIds) {
        for (const id of patientIds)
          yield {
            resourceType: 'DocumentReference',
            id: `ledger-${id}`,
            subject: { reference: `Patient/${id}` },
            author: [scope.practitioner(seen.practitionerId)],
          };
      },
    },
  },
});

let t: TestHub;

async function ok<T>(promise: Promise<GraphQLResponse<T>>): Promise<T> {
  const res = await promise;
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

async function createPatient(value: string): Promise<string> {
  const input: CreatePatientInput = {
    names: [{ family: 'Ledger', given: ['Lee'] }],
    identifiers: [{ system: MRN, value }],
  } as CreatePatientInput;
  const data = await ok(
    t.graphql<{ createPatient: { id: string } }>(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      { input },
      { role: Role.FRONT_DESK },
    ),
  );
  return data.createPatient.id;
}

const MERGE = `mutation($s: ID!, $l: ID!) { mergePatients(survivorId: $s, loserId: $l) { id } }`;
const ERASE = `mutation($p: ID!) {
  erasePatient(patientId: $p, reason: "Erasure request") { deletedRecords mergedRecordsErased }
}`;

let survivorId: string;
let loserId: string;

beforeAll(async () => {
  t = await createTestHub({ plugins: [ledger] });
  survivorId = await createPatient('PD-1');
  loserId = await createPatient('PD-2');
  const practitioner = await t.inTenant((em) => em.findOneOrFail(Practitioner, {}));
  seen.practitionerId = practitioner.id;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

it('rolls the merge back when the plugin’s onMerge throws', async () => {
  seen.failMerge = true;
  const res = await t.graphql(MERGE, { s: survivorId, l: loserId }, ADMIN);
  seen.failMerge = false;
  expect(res.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  const loser = await t.inTenant((em) => em.findOneOrFail(Patient, loserId));
  expect(loser.active).toBe(true);
});

it('calls onMerge inside the merge, before the loser is deactivated, and audits its counts', async () => {
  await ok(t.graphql(MERGE, { s: survivorId, l: loserId }, ADMIN));
  expect(seen.merges).toEqual([{ survivorId, loserId, loserActive: true }]);
  const rows = await t.sql<{ detail: { moved: Record<string, number> } }>(
    `select detail from audit_event where type = 'patient.merge' and entity = ?`,
    [`Patient/${survivorId}`],
  );
  expect(rows[0]!.detail.moved).toMatchObject({ 'ledger.LedgerEntry': 2 });
  expect(rows[0]!.detail.moved).not.toHaveProperty('ledger.Nothing');
});

it('counts the plugin’s resources in the export and streams them with their practitioners', async () => {
  const data = await ok(
    t.graphql<{ exportPatientData: { url: string; resourceCount: number } }>(
      'mutation($p: ID!) { exportPatientData(patientId: $p) { url resourceCount } }',
      { p: survivorId },
      ADMIN,
      COMPLIANCE,
    ),
  );
  const token = await t.token(ADMIN);
  const download = await fetch(`${new URL(t.url).origin}${data.exportPatientData.url}`, {
    headers: { authorization: `Bearer ${token}`, ...COMPLIANCE },
  });
  const bundle = (await download.json()) as {
    entry: { resource: { resourceType: string; id: string } }[];
  };
  const resources = bundle.entry.map((e) => e.resource);
  const practitioners = resources.filter((r) => r.resourceType === 'Practitioner');
  expect(data.exportPatientData.resourceCount).toBe(resources.length - practitioners.length);
  expect(resources.filter((r) => r.id.startsWith('ledger-')).map((r) => r.id)).toEqual([
    `ledger-${survivorId}`,
    `ledger-${loserId}`,
  ]);
  expect(practitioners.map((p) => p.id)).toContain(seen.practitionerId);
});

it('refuses the erasure while the plugin reports recent clinical activity', async () => {
  seen.activity = new Date();
  const res = await t.graphql(ERASE, { p: survivorId }, ADMIN);
  seen.activity = undefined;
  expect(res.body.errors?.[0]?.extensions).toMatchObject({ reason: 'RETENTION_PERIOD' });
  expect(seen.erasures).toEqual([]);
});

it('calls onErase with the patient and its merged record before core deletes them', async () => {
  // What core deletes of these two patients: identifiers, the export ticket, provenance.
  const [core] = await t.sql<{ n: string | number }>(
    `select (select count(*) from patient_identifier where patient_id in (?, ?))
      + (select count(*) from patient_data_export where patient_id in (?, ?))
      + (select count(*) from provenance where target in (?, ?)) as n`,
    [survivorId, loserId, survivorId, loserId, `Patient/${survivorId}`, `Patient/${loserId}`],
  );
  const data = await ok(
    t.graphql<{ erasePatient: { deletedRecords: number; mergedRecordsErased: number } }>(
      ERASE,
      { p: survivorId },
      ADMIN,
    ),
  );
  expect(seen.erasures).toEqual([{ patientIds: [survivorId, loserId], identifiers: 2 }]);
  expect(data.erasePatient).toEqual({
    deletedRecords: Number(core!.n) + 3,
    mergedRecordsErased: 1,
  });
});
