import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Role } from '@caregraph/schema';
import { REDACTED_PATHS } from './logger.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

const lines: string[] = [];
let t: TestHub;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await createTestHub({ logger: pino({ level: 'trace', redact: REDACTED_PATHS }, stream) });
});
afterAll(async () => {
  await t?.stop();
});

describe('logs', () => {
  it('carry request ids but no PHI, even at trace level and on errors', async () => {
    const input = {
      names: [{ family: 'Quixotewright', given: ['Philomena'] }],
      birthDate: '1971-03-09',
      telecom: [{ system: 'EMAIL', value: 'philomena.q@example.org' }],
      identifiers: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '987-65-4329', type: 'SS' }],
    };
    const created = await t.graphql<{ createPatient: { id: string } }>(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      { input },
      { role: Role.FRONT_DESK },
      { 'x-request-id': 'log-test-request-1' },
    );
    expect(created.body.errors).toBeUndefined();
    const duplicate = await t.graphql(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      { input },
      { role: Role.FRONT_DESK },
    );
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await t.graphql(
      '{ patients(search: { name: "Quixotew" }) { edges { node { id } } } }',
      {},
      { role: Role.PHYSICIAN },
    );

    const log = lines.join('');
    expect(log).toContain('log-test-request-1');
    for (const phi of [
      'Quixotewright',
      'Philomena',
      '1971-03-09',
      'philomena.q@example.org',
      '987-65-4329',
      'Quixotew',
    ]) {
      expect(log).not.toContain(phi);
    }
  });
});
