import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Outcome } from './load.js';
import type { AdtCase, MessageCase, OruCase } from './messages.js';

/**
 * The raw SQL ceiling of hl7-ingest: per message, the statements the hub sends (as
 * `trace-sql.js` lists them), in the same transaction and order, through `pg` with
 * parameterised SQL, on one connection per lane. No HL7 parsing (the values come from the
 * generator's case), no ORM, no encryption (ciphertext-sized stand-ins), no hashing beyond the
 * content hash. Left out: the outbox relay (it numbers and publishes the outbox rows in batches,
 * outside the message's transaction) and the job queue.
 *
 * Per message:
 * 1. the actor lookup (`user` by id);
 * 2. one transaction (original mode stores and applies a message together): the advisory locks
 *    on sender + control id and on the patient key in one statement, the duplicate and the
 *    blocking-message lookups (under any of the patient's identifiers) in one, the patient lookup
 *    by identifier (and the uniqueness check of a new one), then per type: ADT the related-person, encounter and attending (record link) lookups,
 *    the practitioner (first time: under a lock, the link looked up again), then the
 *    `hl7_message` insert with its outcome, the practitioner, provenance, patient, encounter,
 *    related-person and identifier inserts or the patient update (A08); ORU the encounter lookup
 *    and one lookup of the patient's observations among the message's results, then the
 *    `hl7_message` insert, provenance, patient, the observations in one insert and the
 *    identifier; the audit chain (head locked, then moved with the audit row in one statement);
 *    the outbox rows; commit.
 */

const json = (value: unknown) => JSON.stringify(value);

/** A ciphertext-sized stand-in for an encrypted value (`cg1:<key>:<base64>`). */
const sealed = (text: string) =>
  `cg1:1:${Buffer.concat([Buffer.alloc(28, 7), Buffer.from(text)]).toString('base64')}`;
const blindIndex = (value: string) => createHash('sha256').update(`bi:${value}`).digest('hex');

/** Inserts the message's store row with its outcome, once its records are known. */
type StoreRow = (records: { patientId: string; refs: string[] }) => Promise<unknown>;

const LOCK = 'select pg_advisory_xact_lock(hashtextextended($1, 0))';
const PROVENANCE_COLUMNS = 10;

function values(rows: unknown[][]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = rows
    .map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`)
    .join(', ');
  return { sql, params };
}

/** One lane of the baseline: a connection and the statements of each message. */
export class RawSqlLane {
  private constructor(
    private readonly client: pg.Client,
    private readonly tenantId: string,
    private readonly userId: string,
  ) {}

  static async open(url: string, tenantId: string, userId: string): Promise<RawSqlLane> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // The hub creates a tenant's audit chain head with its first audit row, once.
    await client.query(
      `insert into audit_chain_head (tenant_id, sequence, hash) values ($1, 0, '') on conflict (tenant_id) do nothing`,
      [tenantId],
    );
    return new RawSqlLane(client, tenantId, userId);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private q(sql: string, params: unknown[] = []) {
    return this.client.query(sql, params);
  }

  private provenance(
    rows: { target: string; activity: string }[],
    messageId: string,
    sender: string,
  ) {
    const now = new Date();
    const { sql, params } = values(
      rows.map((r) => [
        randomUUID(),
        this.tenantId,
        r.target,
        now,
        r.activity,
        'integration',
        this.userId,
        sender,
        messageId,
        'HL7 v2 message',
      ]),
    );
    if (params.length !== rows.length * PROVENANCE_COLUMNS) throw new Error('provenance columns');
    return this.q(
      `insert into provenance (id, tenant_id, target, recorded_at, activity, agent_type, agent_id, source_system, source_message_id, reason) values ${sql}`,
      params,
    );
  }

  /** Applies one message as the hub would; resolves `{ ok: true }` after the apply commits. */
  async ingest(c: MessageCase, text: string): Promise<Outcome> {
    await this.ingestGroup([{ c, text }]);
    return { ok: true };
  }

  /**
   * Applies messages in one transaction (group commit: the ceiling's `--ceiling-group` variant;
   * one message is exactly `ingest`): the actor lookup once, each message's statements in turn,
   * then the audit rows (one per message) and the outbox rows of all of them, one commit.
   */
  async ingestGroup(messages: readonly { c: MessageCase; text: string }[]): Promise<void> {
    await this.q(
      `select id, tenant_id, kind, roles, display_name, active, practitioner_id, patient_id, related_person_id from "user" where active and id in ($1)`,
      [this.userId],
    );
    await this.q('begin');
    try {
      const applied: { patientId: string; events: string[] }[] = [];
      for (const { c, text } of messages) applied.push(await this.applyMessage(c, text));
      await this.auditAndOutbox(applied);
      await this.q('commit');
    } catch (error) {
      await this.q('rollback');
      throw error;
    }
  }

  /** One message's statements inside the open transaction, up to (not with) audit and outbox. */
  private async applyMessage(c: MessageCase, text: string) {
    const sender = c.kind === 'ORU^R01' ? 'LAB^GOOD HEALTH HOSPITAL' : 'ADT1^GOOD HEALTH HOSPITAL';
    const t = this.tenantId;
    const messageId = randomUUID();
    const keyIndex = blindIndex(c.patient.mrn);
    const receivedAt = new Date();
    await this.q(
      'select pg_advisory_xact_lock(hashtextextended($1, 0)), pg_advisory_xact_lock(hashtextextended($2, 0))',
      [`hl7:${t}:${sender}:${c.controlId}`, `hl7-patient:${t}:${keyIndex}`],
    );
    await this.q(
      `select
         (select json_build_object('id', id, 'status', status, 'ackCode', ack_code, 'ack', ack) from hl7_message
           where tenant_id = $1 and sender = $2 and control_id = $3 and content_hash = $4 and original limit 1) as original,
         (select id from hl7_message
           where tenant_id = $1 and patient_key_index in (
               select $5::text union select other.value_index from patient_identifier other
                where other.tenant_id = $1 and other.value_index is not null and other.patient_id in
                  (select mine.patient_id from patient_identifier mine where mine.tenant_id = $1 and mine.value_index = $5))
             and status in ('error', 'held') and original and received_at <= $6 and id <> $7
           order by received_at asc, id asc limit 1) as blocker`,
      [
        t,
        sender,
        c.controlId,
        createHash('sha256').update(text).digest('hex'),
        keyIndex,
        receivedAt,
        messageId,
      ],
    );
    const storeRow = (records: { patientId: string; refs: string[] }) =>
      this.q(
        `insert into hl7_message (id, tenant_id, created_at, updated_at, channel, sender, control_id, message_type, version, content_hash, raw, status, original, received_at, processed_at, attempts, ack_code, ack, mapping_version, patient_id, patient_key_index, records)
         values ($1, $2, $3, $3, 'mllp', $4, $5, $6, '2.5.1', $7, $8, 'processed', true, $3, $3, 1, 'AA', $9, $10, $11, $12, $13)`,
        [
          messageId,
          t,
          receivedAt,
          sender,
          c.controlId,
          c.kind,
          createHash('sha256').update(text).digest('hex'),
          sealed(text),
          `MSH|^~\\&|CAREGRAPH||${sender}|||ACK^A01^ACK|${c.controlId}|P|2.5.1\rMSA|AA|${c.controlId}`,
          c.kind === 'ORU^R01' ? 'oru-1' : 'adt-1',
          records.patientId,
          keyIndex,
          json(records.refs),
        ],
      );
    return c.kind === 'ORU^R01'
      ? await this.applyOru(c, messageId, sender, storeRow)
      : await this.applyAdt(c, messageId, sender, storeRow);
  }

  /** The patient lookup by MRN, and the uniqueness check the hub runs before registering one. */
  private async findPatient(c: MessageCase): Promise<string | undefined> {
    const index = blindIndex(c.patient.mrn);
    const found = await this.q(
      `select pi.*, p.id as p_id, p.names, p.telecom, p.address, p.gender, p.birth_date, p.active, p.replaced_by_id
         from patient_identifier pi join patient p on pi.patient_id = p.id and p.tenant_id = $1
         left join patient r on p.replaced_by_id = r.id and r.tenant_id = $1
        where pi.tenant_id = $1 and pi.system = $2 and pi.value_index = $3 limit 1`,
      [this.tenantId, 'urn:hl7:GHH:MR', index],
    );
    if (found.rows.length) return found.rows[0].p_id as string;
    await this.q(
      `select pi.*, p.id as p_id from patient_identifier pi join patient p on pi.patient_id = p.id and p.tenant_id = $1
        where pi.tenant_id = $1 and pi.system = $2 and pi.value_index = $3 limit 1`,
      [this.tenantId, 'urn:hl7:GHH:MR', index],
    );
    return undefined;
  }

  private async insertPatient(c: MessageCase, id: string): Promise<void> {
    const p = c.patient;
    const now = new Date();
    const name = {
      use: 'official',
      family: p.family,
      given: [p.given, p.middle[0]],
      prefix: [],
      suffix: [],
    };
    await this.q(
      `insert into patient (id, tenant_id, created_at, updated_at, active, names, family_search, given_search, gender, birth_date, deceased, telecom, address)
       values ($1, $2, $3, $3, true, $4, $5, $6, $7, $8, false, $9, $10)`,
      [
        id,
        this.tenantId,
        now,
        json([name]),
        p.family.toLowerCase(),
        `${p.given} ${p.middle[0]}`.toLowerCase(),
        p.gender,
        p.birthDate,
        json([{ system: 'phone', value: p.phone, use: 'home' }]),
        json([
          {
            use: 'home',
            line: [p.street],
            city: p.city,
            state: p.state,
            postalCode: p.zip,
            country: 'USA',
          },
        ]),
      ],
    );
  }

  private async insertIdentifier(c: MessageCase, patientId: string): Promise<void> {
    const now = new Date();
    await this.q(
      `insert into patient_identifier (id, tenant_id, created_at, updated_at, patient_id, system, value, type, value_index)
       values ($1, $2, $3, $3, $4, $5, $6, 'MR', $7)`,
      [
        randomUUID(),
        this.tenantId,
        now,
        patientId,
        'urn:hl7:GHH:MR',
        sealed(c.patient.mrn),
        blindIndex(c.patient.mrn),
      ],
    );
  }

  private async applyAdt(c: AdtCase, messageId: string, sender: string, storeRow: StoreRow) {
    const t = this.tenantId;
    const existing = await this.findPatient(c);
    const patientId = existing ?? randomUUID();
    const related = await this.q(
      `select r.* from related_person r where r.tenant_id = $1 and r.patient_id = $2 and r.active = true`,
      [t, patientId],
    );
    const encounter = await this.q(
      `select e.* from encounter e where e.tenant_id = $1 and e.patient_id = $2 and e.visit_number = $3 limit 1`,
      [t, patientId, c.visitNumber],
    );
    const findLink = () =>
      this.q(
        `select id, record_id from hl7_record_link where tenant_id = $1 and kind = 'practitioner' and system = $2 and external_id = $3 limit 1`,
        [t, sender, c.attending.id],
      );
    const link = await findLink();
    const now = new Date();
    let practitionerId: string;
    const provenance: { target: string; activity: string }[] = [];
    if (link.rows.length) {
      practitionerId = link.rows[0].record_id as string;
      await this.q(`select * from practitioner where tenant_id = $1 and id = $2 limit 1`, [
        t,
        practitionerId,
      ]);
    } else {
      await this.q(LOCK, [`hl7-link:${t}:practitioner:${sender}:${c.attending.id}`]);
      await findLink();
      practitionerId = randomUUID();
    }
    const encounterId = (encounter.rows[0]?.id as string | undefined) ?? randomUUID();
    const refs = [
      `Patient/${patientId}`,
      `Encounter/${encounterId}`,
      `Practitioner/${practitionerId}`,
    ];
    await storeRow({ patientId, refs });
    if (!link.rows.length) {
      await this.q(
        `insert into hl7_record_link (id, tenant_id, created_at, updated_at, kind, system, external_id, record_type, record_id) values ($1, $2, $3, $3, 'practitioner', $4, $5, 'Practitioner', $6)`,
        [randomUUID(), t, now, sender, c.attending.id, practitionerId],
      );
      await this.q(
        `insert into practitioner (id, tenant_id, created_at, updated_at, active, name, telecom) values ($1, $2, $3, $3, true, $4, '[]')`,
        [
          practitionerId,
          t,
          now,
          json({
            use: 'official',
            family: c.attending.family,
            given: [c.attending.given],
            prefix: ['DR'],
            suffix: ['MD'],
          }),
        ],
      );
      provenance.push({ target: `Practitioner/${practitionerId}`, activity: 'create' });
    }
    const events = existing ? ['EncounterUpdated'] : ['PatientRegistered', 'EncounterStarted'];
    if (!existing) provenance.push({ target: `Patient/${patientId}`, activity: 'create' });
    provenance.push({
      target: `Encounter/${encounterId}`,
      activity: encounter.rows.length ? 'update' : 'create',
    });
    if (!related.rows.length)
      provenance.push({ target: `RelatedPerson/${patientId}`, activity: 'create' });
    else provenance.push({ target: `Patient/${patientId}`, activity: 'update' });
    await this.provenance(provenance, messageId, sender);
    if (!existing) await this.insertPatient(c, patientId);
    else if (c.kind === 'ADT^A08')
      await this.q(`update patient set updated_at = now(), telecom = $2 where id = $1`, [
        patientId,
        json([{ system: 'phone', value: c.patient.phone, use: 'home' }]),
      ]);
    if (!encounter.rows.length)
      await this.q(
        `insert into encounter (id, tenant_id, created_at, updated_at, patient_id, status, class, type, period_start, location, attending_id, visit_number)
         values ($1, $2, $3, $3, $4, 'in-progress', 'IMP', null, $5, $6, $7, $8)`,
        [
          encounterId,
          t,
          now,
          patientId,
          c.admittedAt,
          `${c.ward}^${c.room}^${c.bed}`,
          practitionerId,
          c.visitNumber,
        ],
      );
    if (!related.rows.length)
      await this.q(
        `insert into related_person (id, tenant_id, created_at, updated_at, patient_id, active, relationship, name, telecom, address) values ($1, $2, $3, $3, $4, true, 'SPO', $5, $6, '[]')`,
        [
          randomUUID(),
          t,
          now,
          patientId,
          json(sealed(json({ family: c.nextOfKin.family, given: [c.nextOfKin.given] }))),
          json([{ system: 'phone', value: c.nextOfKin.phone }]),
        ],
      );
    if (!existing) await this.insertIdentifier(c, patientId);
    return { patientId, events };
  }

  private async applyOru(c: OruCase, messageId: string, sender: string, storeRow: StoreRow) {
    const t = this.tenantId;
    const existing = await this.findPatient(c);
    const patientId = existing ?? randomUUID();
    let encounterId: string | null = null;
    if (c.visitNumber) {
      const encounter = await this.q(
        `select e.* from encounter e where e.tenant_id = $1 and e.patient_id = $2 and e.visit_number = $3 limit 1`,
        [t, patientId, c.visitNumber],
      );
      encounterId = (encounter.rows[0]?.id as string | undefined) ?? null;
    }
    const lookup = values(
      c.results.map((r) => ['laboratory', 'http://loinc.org', r.code.code, r.effectiveAt]),
    );
    await this.q(
      `select o.* from observation o
         join (values ${lookup.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + 2}`)}) as k(category, system, code, effective_at)
           on o.category = k.category and o.code->>'system' = k.system and o.code->>'code' = k.code and o.effective_at = k.effective_at::timestamptz
        where o.tenant_id = $1 and o.patient_id = $2`,
      [t, patientId, ...lookup.params],
    );
    const observations = c.results.map((r) => {
      const id = randomUUID();
      return [
        id,
        t,
        new Date(),
        patientId,
        encounterId,
        json({ system: 'http://loinc.org', code: r.code.code, display: r.code.display }),
        r.value,
        r.code.unit,
        r.code.low,
        r.code.high,
        r.flag,
        r.effectiveAt,
        c.sentAt,
      ];
    });
    const refs = [
      `Patient/${patientId}`,
      ...observations.map((o) => `Observation/${o[0] as string}`),
    ];
    await storeRow({ patientId, refs });
    const provenance = observations.map((o) => ({
      target: `Observation/${o[0] as string}`,
      activity: 'create',
    }));
    provenance.unshift({
      target: `Patient/${patientId}`,
      activity: existing ? 'update' : 'create',
    });
    await this.provenance(provenance, messageId, sender);
    if (!existing) await this.insertPatient(c, patientId);
    const rows = values(observations);
    await this.q(
      `insert into observation (id, tenant_id, created_at, updated_at, patient_id, encounter_id, status, category, code, value_quantity, unit, reference_range_low, reference_range_high, interpretation, effective_at, issued_at, security_labels)
       select v.id::uuid, v.tenant_id::uuid, v.created_at::timestamptz, v.created_at::timestamptz, v.patient_id::uuid, v.encounter_id::uuid, 'final', 'laboratory', v.code::jsonb, v.value_quantity::numeric, v.unit, v.low::numeric, v.high::numeric, v.interpretation, v.effective_at::timestamptz, v.issued_at::timestamptz, '[]'
         from (values ${rows.sql}) as v(id, tenant_id, created_at, patient_id, encounter_id, code, value_quantity, unit, low, high, interpretation, effective_at, issued_at)`,
      rows.params,
    );
    if (!existing) await this.insertIdentifier(c, patientId);
    const events = [
      ...(existing ? [] : ['PatientRegistered']),
      ...c.results.map(() => 'LabResultAvailable'),
    ];
    return { patientId, events };
  }

  /**
   * The audit chain (one row per tenant, locked to commit), the outbox rows of every message and
   * one audit row per message (chained in order after the locked head).
   */
  private async auditAndOutbox(
    applied: readonly { patientId: string; events: string[] }[],
  ): Promise<void> {
    const t = this.tenantId;
    const head = await this.q(
      `select sequence, hash from audit_chain_head where tenant_id = $1 for update`,
      [t],
    );
    const now = new Date();
    const outbox = values(
      applied.flatMap(({ patientId, events }) =>
        events.map((type) => [
          randomUUID(),
          t,
          null,
          type,
          patientId,
          json({ type, patientId, summary: type }),
          now,
          null,
        ]),
      ),
    );
    await this.q(
      `insert into outbox_event (id, tenant_id, position, type, patient_id, payload, created_at, published_at) values ${outbox.sql} returning sequence`,
      outbox.params,
    );
    const first = Number(head.rows[0].sequence);
    const previous = head.rows[0].hash as string;
    let hash = previous;
    const audits = applied.map(({ patientId }, k) => {
      const prior = hash;
      hash = createHash('sha256')
        .update(`${prior}:${first + k + 1}`)
        .digest('hex');
      return { id: randomUUID(), patientId, sequence: first + k + 1, previous: prior, hash };
    });
    const last = audits.at(-1)!;
    await this.q(
      `with moved as (
         update audit_chain_head set sequence = $4, hash = $5 where tenant_id = $2 and sequence = $6 and hash = $7
         returning tenant_id)
       insert into audit_event (id, tenant_id, recorded_at, action, type, outcome, actor_user_id, actor_roles, purpose_of_use, patient_id, entity, request_id, sequence, previous_hash, hash, detail)
       select r.id, moved.tenant_id, $1, 'U', 'hl7-message', '0', $3, '["integration"]', 'TREAT', r.patient_id, 'IntegrationMessage', null, r.sequence, r.previous_hash, r.hash, '{}'
         from moved, jsonb_to_recordset($8::jsonb) as r(id uuid, patient_id uuid, sequence bigint, previous_hash text, hash text)`,
      [
        now,
        t,
        this.userId,
        last.sequence,
        last.hash,
        first,
        previous,
        json(
          audits.map((a) => ({
            id: a.id,
            patient_id: a.patientId,
            sequence: a.sequence,
            previous_hash: a.previous,
            hash: a.hash,
          })),
        ),
      ],
    );
  }
}
