import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Role, TenantKey } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { ErrorCode } from '../errors/caregraph-error.js';
import { encryptPlaintextRows } from './encrypt-plaintext-rows.js';
import { rotateDataKey } from './key-rotation.js';
import { Keyring } from './keyring.js';
import { LocalKeyProvider } from './local-key-provider.js';
import { allSensitiveFields } from './sensitive-fields.js';
import { withSystemScope } from '../db/tenant-scope.js';
import { FREE_TEXT_WRITTEN, readFreeText, writeFreeText } from '../testing/free-text-fixtures.js';

const SSN = 'http://hl7.org/fhir/sid/us-ssn';
const CIPHERTEXT = /^cg1:\d+:[A-Za-z0-9+/]+=*$/;

const PATIENT = `query($id: ID!) {
  patient(id: $id) {
    id
    identifiers { system value }
    coverages(first: 5) { edges { node { memberId } } }
    medications(first: 20) { edges { node { note } } }
  }
}`;
const FIRST_PATIENTS = `{ patients(first: 50) { edges { node { id identifiers { system value } } } } }`;
const BY_IDENTIFIER = `query($s: String!, $v: String!) { patientByIdentifier(system: $s, value: $v) { id } }`;

type PatientData = {
  patient: {
    id: string;
    identifiers: { system: string; value: string }[];
    coverages: { edges: { node: { memberId: string | null } }[] };
    medications: { edges: { node: { note: string | null } }[] };
  } | null;
};

const lines: string[] = [];
let t: TestHub;
let patients: { id: string; identifiers: { system: string; value: string }[] }[];

/** Raw SQL across tenants: what an intruder with the database would read. */
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  withSystemScope(() => t.hub.orm.em.getConnection().execute<T[]>(query, params));

/** Every non-null value of every encrypted column, with its row. */
async function encryptedValues(): Promise<{ table: string; column: string; value: string }[]> {
  const values: { table: string; column: string; value: string }[] = [];
  for (const { meta, fields } of allSensitiveFields(t.hub.orm.getMetadata())) {
    for (const field of fields) {
      const rows = await sql<{ v: string }>(
        `select "${field.column}" as v from "${meta.tableName}" where "${field.column}" is not null`,
      );
      values.push(
        ...rows.map((r) => ({ table: meta.tableName, column: field.column, value: r.v })),
      );
    }
  }
  return values;
}

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await createTestHub({ logger: pino({ level: 'debug' }, stream) });
  const res = await t.graphql<{
    patients: { edges: { node: (typeof patients)[number] }[] };
  }>(FIRST_PATIENTS, {}, { role: Role.PHYSICIAN });
  patients = res.body.data!.patients.edges.map((e) => e.node);
  await writeFreeText(t, patients[0]!.id);
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('encryption at rest (#3)', () => {
  it('stores only ciphertext in every encrypted column, while the API returns plaintext to an allowed user', async () => {
    const stored = await encryptedValues();
    const tables = new Set(stored.map((v) => `${v.table}.${v.column}`));
    for (const column of [
      'patient_identifier.value',
      'coverage.member_id',
      'medication_statement.note',
      'encounter.reason',
      'communication.body',
      'appointment.description',
      'appointment.cancellation_reason',
      'consent.revocation_reason',
      'care_plan_goal.description',
      'care_plan_activity.description',
      'break_glass_session.reason',
      'break_glass_session.review_note',
    ])
      expect(tables).toContain(column);
    expect(stored.filter((v) => !CIPHERTEXT.test(v.value))).toEqual([]);
    const dump = stored.map((v) => v.value).join('\n');
    const written = Object.values(FREE_TEXT_WRITTEN);
    for (const text of written) expect(dump).not.toContain(text);
    const freeText = await readFreeText(t, patients[0]!.id);
    expect(freeText.written).toEqual(expect.arrayContaining(written));
    expect(freeText.carePlanSteps.length).toBeGreaterThan(0);
    const returned = [...freeText.written, ...freeText.carePlanSteps];
    expect(returned.filter((text) => text?.startsWith('cg1:'))).toEqual([]);

    const ssns = patients.flatMap((p) => p.identifiers.filter((i) => i.system === SSN));
    expect(ssns).toHaveLength(patients.length);
    expect(ssns[0]!.value).toMatch(/^9\d\d-\d\d-\d{4}$/);
    // No raw row of the identifier table contains any plaintext SSN or MRN, in any column.
    const raw = (await sql<{ row: string }>('select t::text as row from patient_identifier t'))
      .map((r) => r.row)
      .join('\n');
    for (const p of patients) for (const i of p.identifiers) expect(raw).not.toContain(i.value);

    const withNote = await sql<{ patient_id: string }>(
      'select patient_id from medication_statement where note is not null limit 1',
    );
    const read = await t.graphql<PatientData>(
      PATIENT,
      { id: withNote[0]!.patient_id },
      { role: Role.PHYSICIAN },
    );
    expect(read.body.errors).toBeUndefined();
    const patient = read.body.data!.patient!;
    expect(patient.medications.edges.map((e) => e.node.note)).toContain(
      'Stopped by prescriber; see progress note.',
    );
    expect(patient.identifiers.every((i) => !CIPHERTEXT.test(i.value))).toBe(true);
    for (const { node } of patient.coverages.edges)
      if (node.memberId) expect(node.memberId).not.toMatch(/^cg1:/);
  });

  it('finds patients by identifier through the keyed blind index, and refuses a duplicate SSN', async () => {
    const patient = patients[3]!;
    const ssn = patient.identifiers.find((i) => i.system === SSN)!;
    const lookup = await t.graphql<{ patientByIdentifier: { id: string } | null }>(
      BY_IDENTIFIER,
      { s: SSN, v: ssn.value },
      { role: Role.FRONT_DESK },
    );
    expect(lookup.body.data?.patientByIdentifier?.id).toBe(patient.id);
    const search = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
      'query($v: String!) { patients(search: { identifier: $v }) { edges { node { id } } } }',
      { v: ssn.value },
      { role: Role.FRONT_DESK },
    );
    expect(search.body.data!.patients.edges.map((e) => e.node.id)).toEqual([patient.id]);
    const [row] = await sql<{ value_index: string }>(
      'select value_index from patient_identifier where patient_id = ? and system = ?',
      [patient.id, SSN],
    );
    expect(row!.value_index).toMatch(/^[0-9a-f]{64}$/);

    const duplicate = await t.graphql(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      {
        input: {
          names: [{ family: 'Doppel', given: ['Ganger'] }],
          identifiers: [{ system: SSN, value: ssn.value, type: 'SS' }],
        },
      },
      { role: Role.FRONT_DESK },
    );
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('fails with a coded error, and no plaintext in the message or the logs, for tampered or moved ciphertext', async () => {
    const [victim, other] = [patients[5]!, patients[6]!];
    const victimSsn = victim.identifiers.find((i) => i.system === SSN)!.value;
    const [source] = await sql<{ value: string }>(
      'select value from patient_identifier where patient_id = ? and system = ?',
      [other.id, SSN],
    );
    const [target] = await sql<{ id: string; value: string }>(
      'select id, value from patient_identifier where patient_id = ? and system = ?',
      [victim.id, SSN],
    );
    lines.length = 0;
    try {
      // Moved: a valid ciphertext of another row.
      await sql('update patient_identifier set value = ? where id = ?', [
        source!.value,
        target!.id,
      ]);
      const moved = await t.graphql(PATIENT, { id: victim.id }, { role: Role.PHYSICIAN });
      expect(moved.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.DECRYPT_FAILED);
      // Tampered: one byte of the sealed part flipped.
      const sealed = Buffer.from(target!.value.split(':')[2]!, 'base64');
      sealed[14] = sealed[14]! ^ 1;
      const tampered = `cg1:${target!.value.split(':')[1]}:${sealed.toString('base64')}`;
      await sql('update patient_identifier set value = ? where id = ?', [tampered, target!.id]);
      const altered = await t.graphql(PATIENT, { id: victim.id }, { role: Role.PHYSICIAN });
      expect(altered.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.DECRYPT_FAILED);
      // Plaintext written around the hub is refused too.
      await sql('update patient_identifier set value = ? where id = ?', [victimSsn, target!.id]);
      const plain = await t.graphql(PATIENT, { id: victim.id }, { role: Role.PHYSICIAN });
      expect(plain.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.DECRYPT_FAILED);
      const everything = JSON.stringify([moved.body, altered.body, plain.body]) + lines.join('');
      expect(everything).toContain('patient_identifier.value');
      expect(everything).not.toContain(victimSsn);
      expect(everything).not.toContain(other.identifiers.find((i) => i.system === SSN)!.value);
    } finally {
      await sql('update patient_identifier set value = ? where id = ?', [
        target!.value,
        target!.id,
      ]);
    }
    const restored = await t.graphql<PatientData>(
      PATIENT,
      { id: victim.id },
      { role: Role.PHYSICIAN },
    );
    expect(restored.body.data!.patient!.identifiers.map((i) => i.value)).toContain(victimSsn);
  });

  it('encrypts plaintext left by an older version at boot, with its blind index', async () => {
    const [row] = await sql<{ id: string; patient_id: string }>(
      'select id, patient_id from medication_statement where note is not null limit 1',
    );
    await sql('update medication_statement set note = ? where id = ?', ['legacy note', row!.id]);
    // Columns marked sensitive after their rows were written.
    await sql(
      "update appointment set description = 'legacy visit reason' where id = (select id from appointment limit 1)",
    );
    await sql(
      "update break_glass_session set reason = 'legacy override reason' where id = (select id from break_glass_session limit 1)",
    );
    const [identifier] = await sql<{ id: string; value: string }>(
      'select id, value from patient_identifier where patient_id = ? and system = ?',
      [patients[7]!.id, SSN],
    );
    const ssn = patients[7]!.identifiers.find((i) => i.system === SSN)!.value;
    await sql('update patient_identifier set value = ?, value_index = null where id = ?', [
      ssn,
      identifier!.id,
    ]);
    const changed = await encryptPlaintextRows(t.hub.orm, t.hub.keyring);
    expect(changed).toEqual({
      medication_statement: 1,
      patient_identifier: 1,
      appointment: 1,
      break_glass_session: 1,
    });
    expect(await encryptPlaintextRows(t.hub.orm, t.hub.keyring)).toEqual({});
    const [note] = await sql<{ note: string }>(
      'select note from medication_statement where id = ?',
      [row!.id],
    );
    expect(note!.note).toMatch(CIPHERTEXT);
    const read = await t.graphql<PatientData>(
      PATIENT,
      { id: row!.patient_id },
      { role: Role.PHYSICIAN },
    );
    expect(read.body.data!.patient!.medications.edges.map((e) => e.node.note)).toContain(
      'legacy note',
    );
    const lookup = await t.graphql<{ patientByIdentifier: { id: string } | null }>(
      BY_IDENTIFIER,
      { s: SSN, v: ssn },
      { role: Role.FRONT_DESK },
    );
    expect(lookup.body.data?.patientByIdentifier?.id).toBe(patients[7]!.id);
  });

  it('rotates the data key: re-encrypts every value, keeps lookups working, retires and destroys the old key', async () => {
    const before = await encryptedValues();
    expect(before.every((v) => v.value.startsWith('cg1:1:'))).toBe(true);
    const report = await rotateDataKey(t.hub.orm, t.hub.keyring, t.seed.tenantId);
    expect(report).toMatchObject({ fromVersions: [1], toVersion: 2 });
    expect(report.rowsReencrypted).toBeGreaterThan(0);
    expect(report.rowsReencrypted).toBeLessThanOrEqual(before.length);

    const after = await encryptedValues();
    expect(after).toHaveLength(before.length);
    expect(after.every((v) => v.value.startsWith('cg1:2:'))).toBe(true);
    const keys = await t.inTenant((em) =>
      em.find(
        TenantKey,
        { tenantId: t.seed.tenantId },
        { filters: false, orderBy: { purpose: 'asc', version: 'asc' } },
      ),
    );
    expect(keys.map((k) => [k.purpose, k.version, k.status, k.wrappedKey === null])).toEqual([
      ['data', 1, 'retired', true],
      ['data', 2, 'active', false],
      ['index', 1, 'active', false],
    ]);

    const patient = patients[3]!;
    const ssn = patient.identifiers.find((i) => i.system === SSN)!;
    const lookup = await t.graphql<{ patientByIdentifier: { id: string } | null }>(
      BY_IDENTIFIER,
      { s: SSN, v: ssn.value },
      { role: Role.FRONT_DESK },
    );
    expect(lookup.body.data?.patientByIdentifier?.id).toBe(patient.id);
    const read = await t.graphql<PatientData>(
      PATIENT,
      { id: patient.id },
      { role: Role.PHYSICIAN },
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.patient!.identifiers).toContainEqual(ssn);

    // A fresh keyring (a restarted hub) reads the rotated data; writes use the new version.
    const restarted = new Keyring(t.hub.keyring.provider);
    await restarted.loadAll(t.hub.orm.em.fork());
    expect(restarted.activeVersion(t.seed.tenantId)).toBe(2);
    const audit = await sql<{ type: string }>(
      "select type from audit_event where type = 'keys.rotate'",
    );
    expect(audit).toHaveLength(1);
  });

  it('rotates online: another process rotates while the hub keeps reading and writing', async () => {
    // The rotating process has its own keyring, as `caregraph keys rotate` would.
    const other = new Keyring(t.hub.keyring.provider);
    await other.loadAll(t.hub.orm.em.fork());
    // A patient on the nurse's care team (the nurse may read and write there).
    const visible = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
      '{ patients(first: 1) { edges { node { id } } } }',
      {},
      { role: Role.NURSE },
    );
    const patient = visible.body.data!.patients.edges[0]!.node;
    const problems: unknown[] = [];
    let reads = 0;
    let writes = 0;
    let rotating = true;
    const traffic = (async () => {
      while (rotating) {
        const read = await t.graphql<PatientData>(
          PATIENT,
          { id: patient.id },
          { role: Role.NURSE },
        );
        if (read.body.errors) problems.push(read.body.errors);
        else reads += 1;
        const written = await t.graphql<{ createTask: { description: string } }>(
          'mutation($input: CreateTaskInput!) { createTask(input: $input) { description } }',
          { input: { patientId: patient.id, title: 'Follow up', description: `during ${writes}` } },
          { role: Role.NURSE },
        );
        if (written.body.errors) problems.push(written.body.errors);
        else writes += 1;
        await sleep(150);
      }
    })();
    try {
      const report = await rotateDataKey(t.hub.orm, other, t.seed.tenantId, { graceMs: 8_000 });
      expect(report).toMatchObject({ fromVersions: [2], toVersion: 3 });
    } finally {
      rotating = false;
      await traffic;
    }
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(3);
    expect(writes).toBeGreaterThan(3);
    const values = await encryptedValues();
    expect(values.filter((v) => !v.value.startsWith('cg1:3:'))).toEqual([]);
    const tasks = await t.graphql<{
      patient: { tasks: { edges: { node: { description: string | null } }[] } };
    }>(
      'query($id: ID!) { patient(id: $id) { tasks(first: 100) { edges { node { description } } } } }',
      { id: patient.id },
      { role: Role.NURSE },
    );
    expect(tasks.body.errors).toBeUndefined();
    const written = tasks.body.data!.patient.tasks.edges.map((e) => e.node.description);
    expect(written.filter((d) => d?.startsWith('during ')).length).toBe(writes);
  }, 60_000);

  it('refuses to load the keys with a different master key, naming the variable', async () => {
    const wrong = new Keyring(new LocalKeyProvider(randomBytes(32)));
    await expect(wrong.loadAll(t.hub.orm.em.fork())).rejects.toMatchObject({
      code: ErrorCode.MASTER_KEY_INVALID,
      message: expect.stringContaining('CAREGRAPH_MASTER_KEY_FILE'),
    });
  });
});
