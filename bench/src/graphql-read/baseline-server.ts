import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildSchema,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import pg from 'pg';
import type { Keyring } from '@caregraph/core';
import { loadBenchKeyring } from '../shared/bench-keys.js';

/**
 * The baseline of the graphql-read benchmark: node:http + graphql-js + hand-written SQL through
 * a `pg` pool. No ORM (it only loads the tenant keys at start), no authorization, no framework. It answers the chart query with the same
 * JSON as CareGraph (same type and field names, same ordering and filters).
 */
const SDL = /* GraphQL */ `
  scalar DateTimeISO
  scalar LocalDate
  enum AdministrativeGender {
    MALE
    FEMALE
    OTHER
    UNKNOWN
  }
  enum AppointmentStatus {
    PROPOSED
    PENDING
    BOOKED
    ARRIVED
    CHECKED_IN
    FULFILLED
    CANCELLED
    NO_SHOW
    ENTERED_IN_ERROR
    WAITLIST
  }
  enum ObservationStatus {
    REGISTERED
    PRELIMINARY
    FINAL
    AMENDED
    CORRECTED
    CANCELLED
    ENTERED_IN_ERROR
  }
  enum ObservationCategory {
    LABORATORY
    VITAL_SIGNS
    DEVICE
    IMAGING
    SURVEY
    SOCIAL_HISTORY
  }
  enum ConditionClinicalStatus {
    ACTIVE
    RECURRENCE
    RELAPSE
    INACTIVE
    REMISSION
    RESOLVED
  }
  enum MedicationStatementStatus {
    ACTIVE
    COMPLETED
    ENTERED_IN_ERROR
    INTENDED
    STOPPED
    ON_HOLD
    NOT_TAKEN
  }

  type HumanName {
    use: String
    family: String
    given: [String!]!
    prefix: [String!]!
    suffix: [String!]!
    text: String!
  }
  type CodedConcept {
    system: String
    code: String
    display: String
  }
  type PatientIdentifier {
    system: String!
    value: String!
    type: String
  }
  type Practitioner {
    id: ID!
    name: HumanName!
  }
  type CareTeamMember {
    role: CodedConcept!
    practitioner: Practitioner!
  }
  type CareTeam {
    id: ID!
    name: String!
    members: [CareTeamMember!]!
  }
  type Appointment {
    id: ID!
    status: AppointmentStatus!
    start: DateTimeISO!
    end: DateTimeISO!
    serviceType: CodedConcept
    location: String
  }
  type Observation {
    id: ID!
    status: ObservationStatus!
    category: ObservationCategory!
    code: CodedConcept!
    valueQuantity: Float
    unit: String
    interpretation: String
    effectiveAt: DateTimeISO!
  }
  type Condition {
    id: ID!
    clinicalStatus: ConditionClinicalStatus!
    code: CodedConcept!
    onsetDate: LocalDate
    recordedAt: DateTimeISO!
  }
  type MedicationStatement {
    id: ID!
    status: MedicationStatementStatus!
    medication: CodedConcept!
    dosageText: String
  }
  type AppointmentEdge {
    node: Appointment!
  }
  type AppointmentConnection {
    edges: [AppointmentEdge!]!
  }
  type ObservationEdge {
    node: Observation!
  }
  type ObservationConnection {
    edges: [ObservationEdge!]!
  }
  type ConditionEdge {
    node: Condition!
  }
  type ConditionConnection {
    edges: [ConditionEdge!]!
  }
  type MedicationStatementEdge {
    node: MedicationStatement!
  }
  type MedicationStatementConnection {
    edges: [MedicationStatementEdge!]!
  }

  type Patient {
    id: ID!
    name: HumanName
    birthDate: LocalDate
    gender: AdministrativeGender
    identifiers: [PatientIdentifier!]!
    careTeams: [CareTeam!]!
    appointments(first: Int, upcoming: Boolean): AppointmentConnection!
    observations(first: Int): ObservationConnection!
    conditions(first: Int, activeOnly: Boolean): ConditionConnection!
    medications(first: Int, activeOnly: Boolean): MedicationStatementConnection!
  }
  type Query {
    patient(id: ID!): Patient
  }
`;

interface Name {
  use?: string;
  family?: string;
  given: string[];
  prefix: string[];
  suffix: string[];
}

/** Stored enum value (FHIR code) to GraphQL enum name. */
function enumName(value: string): string {
  return value === 'noshow' ? 'NO_SHOW' : value.toUpperCase().replace(/-/g, '_');
}

function humanName(name: Name) {
  return {
    ...name,
    text: [...name.prefix, ...name.given, name.family, ...name.suffix].filter(Boolean).join(' '),
  };
}

const edges = <T>(nodes: T[]) => ({ edges: nodes.map((node) => ({ node })) });
const pageSize = (first: number | undefined) => Math.min(Math.max(first ?? 20, 1), 100);

const SLOT_HOLDING = ['pending', 'booked', 'arrived', 'checked-in'];
const ACTIVE_CONDITIONS = ['active', 'recurrence', 'relapse'];
const ACTIVE_MEDICATIONS = ['active', 'intended', 'on-hold'];

/** A patient row with its relations as methods (graphql-js calls them with args and context). */
function patientObject(
  pool: pg.Pool,
  keyring: Keyring,
  row: { id: string; names: Name[]; birth_date: string | null; gender: string | null },
) {
  const id = row.id;
  const preferred =
    row.names.find((n) => n.use === 'usual') ??
    row.names.find((n) => n.use === 'official') ??
    row.names[0];
  return {
    id,
    name: preferred && humanName(preferred),
    birthDate: row.birth_date,
    gender: row.gender && enumName(row.gender),
    async identifiers() {
      const { rows } = await pool.query<{
        id: string;
        tenant_id: string;
        system: string;
        value: string;
        type: string | null;
      }>(
        'select id, tenant_id, system, value, type from patient_identifier where patient_id = $1 order by created_at, id',
        [id],
      );
      // Identifier values are encrypted at rest: decrypt as CareGraph does (AES-256-GCM).
      return rows.map((r) => ({
        system: r.system,
        type: r.type,
        value: keyring.decrypt(
          { tenantId: r.tenant_id, table: 'patient_identifier', column: 'value', rowId: r.id },
          r.value,
        ),
      }));
    },
    async careTeams() {
      const teams = await pool.query<{ id: string; name: string }>(
        `select ct.id, ct.name from care_team_patient ctp join care_team ct on ct.id = ctp.care_team_id
          where ctp.patient_id = $1 and ctp.period_start <= now() and (ctp.period_end is null or ctp.period_end > now())
          order by ctp.period_start`,
        [id],
      );
      if (teams.rows.length === 0) return [];
      const members = await pool.query<{
        care_team_id: string;
        role: unknown;
        practitioner_id: string;
        name: Name;
      }>(
        `select m.care_team_id, m.role, p.id as practitioner_id, p.name
           from care_team_member m join practitioner p on p.id = m.practitioner_id
          where m.care_team_id = any($1) order by m.period_start, m.id`,
        [teams.rows.map((t) => t.id)],
      );
      return teams.rows.map((team) => ({
        ...team,
        members: members.rows
          .filter((m) => m.care_team_id === team.id)
          .map((m) => ({
            role: m.role,
            practitioner: { id: m.practitioner_id, name: humanName(m.name) },
          })),
      }));
    },
    async appointments(args: { first?: number; upcoming?: boolean }) {
      const where = args.upcoming ? `and start >= now() and status = any($3)` : '';
      const order = args.upcoming ? 'start asc, id asc' : 'start desc, id desc';
      const params: unknown[] = [id, pageSize(args.first)];
      if (args.upcoming) params.push(SLOT_HOLDING);
      const { rows } = await pool.query(
        `select id, status, start, "end", service_type, location from appointment
          where patient_id = $1 ${where} order by ${order} limit $2`,
        params,
      );
      return edges(
        rows.map((r) => ({
          id: r.id,
          status: enumName(r.status),
          start: r.start.toISOString(),
          end: r.end.toISOString(),
          serviceType: r.service_type,
          location: r.location,
        })),
      );
    },
    async observations(args: { first?: number }) {
      const { rows } = await pool.query(
        `select id, status, category, code, value_quantity, unit, interpretation, effective_at from observation
          where patient_id = $1 order by effective_at desc, id desc limit $2`,
        [id, pageSize(args.first)],
      );
      return edges(
        rows.map((r) => ({
          id: r.id,
          status: enumName(r.status),
          category: enumName(r.category),
          code: r.code,
          valueQuantity: r.value_quantity,
          unit: r.unit,
          interpretation: r.interpretation,
          effectiveAt: r.effective_at.toISOString(),
        })),
      );
    },
    async conditions(args: { first?: number; activeOnly?: boolean }) {
      const { rows } = await pool.query(
        `select id, clinical_status, code, onset_date::text as onset_date, recorded_at from condition
          where patient_id = $1 ${args.activeOnly ? 'and clinical_status = any($3)' : ''}
          order by recorded_at desc, id desc limit $2`,
        args.activeOnly
          ? [id, pageSize(args.first), ACTIVE_CONDITIONS]
          : [id, pageSize(args.first)],
      );
      return edges(
        rows.map((r) => ({
          id: r.id,
          clinicalStatus: enumName(r.clinical_status),
          code: r.code,
          onsetDate: r.onset_date,
          recordedAt: r.recorded_at.toISOString(),
        })),
      );
    },
    async medications(args: { first?: number; activeOnly?: boolean }) {
      const { rows } = await pool.query(
        `select id, status, medication, dosage_text from medication_statement
          where patient_id = $1 ${args.activeOnly ? 'and status = any($3)' : ''}
          order by created_at desc, id desc limit $2`,
        args.activeOnly
          ? [id, pageSize(args.first), ACTIVE_MEDICATIONS]
          : [id, pageSize(args.first)],
      );
      return edges(
        rows.map((r) => ({
          id: r.id,
          status: enumName(r.status),
          medication: r.medication,
          dosageText: r.dosage_text,
        })),
      );
    },
  };
}

function rootValue(pool: pg.Pool, keyring: Keyring) {
  return {
    async patient({ id }: { id: string }) {
      const { rows } = await pool.query(
        'select id, names, birth_date::text as birth_date, gender from patient where id = $1',
        [id],
      );
      return rows[0] ? patientObject(pool, keyring, rows[0]) : null;
    },
  };
}

/** Parsed and validated documents, by query text (Apollo keeps the same kind of cache). */
class DocumentCache {
  private readonly documents = new Map<string, DocumentNode>();
  constructor(private readonly schema: GraphQLSchema) {}

  get(query: string): DocumentNode | { errors: readonly Error[] } {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      const errors = validate(this.schema, document);
      if (errors.length) return { errors };
      if (this.documents.size < 1000) this.documents.set(query, document);
    }
    return document;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A running baseline server. */
export interface BaselineServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/** Starts the baseline on 127.0.0.1 (port 0 = a free port). */
export async function startBaselineServer(options: {
  databaseUrl: string;
  port?: number;
  poolSize?: number;
}): Promise<BaselineServer> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  const schema = buildSchema(SDL);
  const documents = new DocumentCache(schema);
  const root = rootValue(pool, await loadBenchKeyring(options.databaseUrl));
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql')
      return send(res, 404, { errors: [{ message: 'POST /graphql' }] });
    readBody(req)
      .then(async (text) => {
        const { query, variables, operationName } = JSON.parse(text) as {
          query: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        const document = documents.get(query);
        if ('errors' in document)
          return send(res, 400, { errors: document.errors.map((e) => ({ message: e.message })) });
        const result = await execute({
          schema,
          document,
          rootValue: root,
          variableValues: variables,
          operationName,
        });
        send(res, 200, result);
      })
      .catch((error: unknown) =>
        send(res, 500, {
          errors: [{ message: error instanceof Error ? error.message : String(error) }],
        }),
      );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
