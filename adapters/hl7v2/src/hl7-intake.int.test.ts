/**
 * Issue 5: the HL7 adapter end to end over a real MLLP socket. A message is stored, applied and
 * acknowledged AA only after its changes commit; a resend (same sender, control id and content) is
 * answered with the original outcome and changes nothing; a message that fails is AE, lands in the error queue, and holds back later
 * messages about the same patient until it is reprocessed.
 */
import { readFileSync } from 'node:fs';
import { Role } from '@caregraph/schema';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./message/fixtures/${name}`, import.meta.url), 'latin1');

let t: Hl7TestHub;

beforeAll(async () => {
  t = await startHl7TestHub();
});

afterAll(async () => {
  await t?.stop();
});

const MESSAGES = `query($status: IntegrationMessageStatus, $text: String) {
  integrationMessages(status: $status, text: $text, first: 50) {
    edges { node { id status controlId messageType ackCode errorCode errorLocation records patientId attempts } }
  }
}`;

async function messages(variables: Record<string, unknown> = {}) {
  const res = await t.hub.graphql<{
    integrationMessages: { edges: { node: Record<string, unknown> }[] };
  }>(MESSAGES, variables, { role: Role.ADMIN });
  expect(res.errors).toBeUndefined();
  return res.data!.integrationMessages.edges.map((edge) => edge.node);
}

function adt(controlId: string, mrn: string, extra = '') {
  return [
    `MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|CAREGRAPH|CLINIC|20260101120000||ADT^A01^ADT_A01|${controlId}|P|2.5.1`,
    'EVN|A01|20260101120000',
    `PID|1||${mrn}^^^GHH^MR||EVERYWOMAN^EVE^E||19620320|F|||153 FERNWOOD DR.^^STATESVILLE^OH^35292||(206)555-1212`,
    `PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0|||||VISIT-${mrn}${extra}`,
  ].join('\r');
}

it('acknowledges a corpus ADT^A01 with AA after storing and applying it', async () => {
  const ack = await t.send(fixture('nodehl7-ADTA01.hl7'));
  expect(ack.get('MSA-1')).toBe('AA');
  expect(ack.get('MSA-2')).toBe('HL7MSG00001');
  expect(ack.header.version).toBe('2.3.1');
  const [stored] = await messages({ text: 'HL7MSG00001' });
  expect(stored).toMatchObject({ status: 'PROCESSED', messageType: 'ADT^A01', ackCode: 'AA' });
  expect(stored!.records).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^Patient\//),
      expect.stringMatching(/^Encounter\//),
    ]),
  );
});

it('answers a resend with the original outcome and applies it once', async () => {
  const message = adt('DUP-1', 'MRN-DUP-1');
  const first = await t.send(message);
  const again = await t.send(message);
  expect(first.get('MSA-1')).toBe('AA');
  expect(again.get('MSA-1')).toBe('AA');
  expect(again.get('MSA-2')).toBe('DUP-1');
  const rows = await messages({ text: 'DUP-1' });
  expect(rows.map((row) => row.status).sort()).toEqual(['DUPLICATE', 'PROCESSED']);
  const encounters = rows.find((row) => row.status === 'PROCESSED')!.records as string[];
  expect(encounters.filter((ref) => ref.startsWith('Encounter/'))).toHaveLength(1);
});

it('applies a different message that reuses a control id (a sender that restarted its counter)', async () => {
  await t.send(adt('REUSED-1', 'MRN-REUSED-A'));
  const ack = await t.send(adt('REUSED-1', 'MRN-REUSED-B'));
  expect(ack.get('MSA-1')).toBe('AA');
  const rows = await messages({ text: 'REUSED-1' });
  expect(rows.map((row) => row.status)).toEqual(['PROCESSED', 'PROCESSED']);
  expect(new Set(rows.map((row) => row.patientId)).size).toBe(2);
});

it('sends a failing message to the error queue and holds the same patient behind it', async () => {
  const broken = adt('HOLD-1', 'MRN-HOLD').replace('|F|||', '|Q|||'); // PID-8 not in table 0001
  const nak = await t.send(broken);
  expect(nak.get('MSA-1')).toBe('AE');
  const later = await t.send(adt('HOLD-2', 'MRN-HOLD', 'B'));
  expect(later.get('MSA-1')).toBe('AE');
  const other = await t.send(adt('HOLD-3', 'MRN-OTHER'));
  expect(other.get('MSA-1')).toBe('AA');
  const [failed] = await messages({ text: 'HOLD-1' });
  const [held] = await messages({ text: 'HOLD-2' });
  expect(failed).toMatchObject({ status: 'ERROR', errorLocation: 'PID-8' });
  expect(held).toMatchObject({ status: 'HELD', errorCode: 'CG_ERR_HL7_HELD' });

  const ignored = await t.hub.graphql<{ ignoreIntegrationMessage: { status: string } }>(
    'mutation($id: ID!) { ignoreIntegrationMessage(id: $id, reason: "sender will resend corrected") { status } }',
    { id: failed!.id },
    { role: Role.ADMIN },
  );
  expect(ignored.errors).toBeUndefined();
  expect(ignored.data!.ignoreIntegrationMessage.status).toBe('IGNORED');
  const [released] = await messages({ text: 'HOLD-2' });
  expect(released).toMatchObject({ status: 'PROCESSED', ackCode: 'AA' });
});

it('rejects unreadable input with an AR and keeps it in the error queue', async () => {
  const ack = await t.send('this is not HL7');
  expect(ack.get('MSA-1')).toBe('AR');
  const errors = await messages({ status: 'ERROR' });
  expect(errors.some((row) => row.controlId === null && row.ackCode === 'AR')).toBe(true);
});
