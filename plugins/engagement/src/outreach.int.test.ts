/**
 * Issue 6: care gaps and campaigns through a real hub, a real SMTP server and the scheduler's
 * clock. A diabetic patient whose HbA1c is old gets one Task and one outreach message that does
 * not name the condition; a recent HbA1c means no gap; sweeping again raises nothing new; a gap
 * closed by new evidence withdraws its pending message. A campaign to an audience by condition
 * reaches the patient who opted in to wellness messages and skips the one who did not.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import {
  AdministrativeGender,
  CareTeam,
  CareTeamPatient,
  Condition,
  ConditionClinicalStatus,
  ConsentPurpose,
  ConsentScope,
  ContactPointSystem,
  ObservationCategory,
  Role,
  Task,
  TaskStatus,
  type Patient,
} from '@caregraph/schema';
import { withConfig, type TenantScope } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { eventually } from '@caregraph/core/testing';
import { DEFAULT_CARE_GAP_RULES } from './care-gaps/care-gap-rule.js';
import { sweepCareGaps } from './care-gaps/sweep-care-gaps.js';
import { createEngagementPlugin, type Clock } from './index.js';
import { ScheduledMessage } from './store/scheduled-message.js';
import { probePlugin } from './testing/probe-plugin.js';
import { startSmtpServer, type SmtpPeer } from './testing/smtp-peer.js';

const DAY = 86_400_000;
const SNOMED = 'http://snomed.info/sct';
const TEST_CODES = 'http://example.org/caregraph-test-conditions';
const nurse = { role: Role.NURSE };
const coordinator = { role: Role.CARE_COORDINATOR };

/** Yesterday 15:00 UTC (10:00 in New York, midnight in Tokyo): in the past, so queued jobs run at once. */
const start = new Date(Date.now() - DAY);
start.setUTCHours(15, 0, 0, 0);
const clock: Clock & { at: Date } = { at: start, now: () => clock.at };

const hba1c = DEFAULT_CARE_GAP_RULES.filter((rule) => rule.key === 'hba1c-diabetes');

let smtp: SmtpPeer;
let hub: PluginTestHub;
const probe = probePlugin();
let config: { tenantId: string; integrationUserId: string };
let teamId: string;

function inTenant<T>(work: (scope: TenantScope) => Promise<T>): Promise<T> {
  return probe
    .context()
    .inTenant({ tenantId: config.tenantId, userId: config.integrationUserId }, work);
}

/** A patient on the nurse's care team, with an email address, and conditions by code. */
async function patient(
  given: string,
  options: { timeZone: string; conditions: { system: string; code: string }[] },
): Promise<{ id: string; email: string }> {
  const email = `${given.toLowerCase()}-${randomUUID().slice(0, 8)}@mail.example`;
  return inTenant(async (scope) => {
    const created: Patient = await scope.patients.create({
      names: [{ family: 'Outreach', given: [given] }],
      gender: AdministrativeGender.FEMALE,
      birthDate: '1970-05-01',
      telecom: [{ system: ContactPointSystem.EMAIL, value: email }],
      preferredLanguage: 'en',
      timeZone: options.timeZone,
    });
    await scope.write(async (w) => {
      const em = w.em as EntityManager;
      em.create(CareTeamPatient, {
        tenantId: scope.tenantId,
        patient: created.id,
        careTeam: teamId,
        periodStart: new Date(start.getTime() - 400 * DAY),
      });
      for (const code of options.conditions)
        em.create(Condition, {
          tenantId: scope.tenantId,
          patient: created.id,
          code,
          clinicalStatus: ConditionClinicalStatus.ACTIVE,
        });
      await em.flush();
    });
    return { id: created.id, email };
  });
}

function recordHbA1c(patientId: string, daysAgo: number) {
  return inTenant((scope) =>
    scope.observations.record({
      patientId,
      category: ObservationCategory.LABORATORY,
      code: { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' },
      valueQuantity: 7.1,
      unit: '%',
      effectiveAt: new Date(clock.at.getTime() - daysAgo * DAY),
    }),
  );
}

const sweep = () =>
  inTenant((scope) => sweepCareGaps(scope, { rules: hba1c, now: clock.now(), chunkSize: 25 }));

const messagesOf = (patientId: string) =>
  inTenant((scope) =>
    (scope.em.fork() as EntityManager).find(
      ScheduledMessage,
      { patientId },
      { orderBy: { createdAt: 'asc' } },
    ),
  );

const tasksOf = (patientId: string) =>
  inTenant((scope) => (scope.em.fork() as EntityManager).find(Task, { patient: patientId }));

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

const CARE_GAPS = `query($patientId: ID!) { careGaps(patientId: $patientId) { gapKey period status title taskId } }`;

beforeAll(async () => {
  smtp = await startSmtpServer();
  config = { tenantId: randomUUID(), integrationUserId: randomUUID() };
  hub = await createTestHub({
    plugins: [
      withConfig(createEngagementPlugin({ clock }), {
        ...config,
        defaultTimeZone: 'America/New_York',
        practice: { name: 'Good Health Clinic', phone: '+1 555 0100' },
        channels: {
          email: {
            host: '127.0.0.1',
            port: smtp.port,
            security: 'none' as const,
            from: 'Good Health Clinic <noreply@clinic.example>',
          },
        },
        dispatch: { pollMs: 50 },
        careGaps: { enabled: true, rules: hba1c },
      }),
      probe.plugin,
    ],
    seed: config,
  });
  // The nurse's care team: the team of the first patient the nurse can see.
  const seen = await hub.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    `{ patients(first: 1) { edges { node { id } } } }`,
    {},
    nurse,
  );
  const seenId = seen.data!.patients.edges[0]!.node.id;
  teamId = await inTenant(async (scope) => {
    const link = await (scope.em.fork() as EntityManager).findOneOrFail(
      CareTeamPatient,
      { patient: seenId },
      { populate: ['careTeam'] },
    );
    return (link.careTeam as CareTeam).id;
  });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await smtp?.close();
});

let overdue: { id: string; email: string };
let recent: { id: string; email: string };

it('raises one Task and one outreach message for a diabetic patient with an old HbA1c, and none with a recent one', async () => {
  overdue = await patient('Olga', {
    timeZone: 'America/New_York',
    conditions: [
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' },
      { system: TEST_CODES, code: 'campaign-audience' },
    ],
  });
  recent = await patient('Rita', {
    timeZone: 'America/New_York',
    conditions: [
      { system: SNOMED, code: '44054006' },
      { system: TEST_CODES, code: 'campaign-audience' },
    ],
  });
  await recordHbA1c(overdue.id, 240);
  await recordHbA1c(recent.id, 60);

  // (The sweep job queued at start may run at the same time: either raises the gap once.)
  await sweep();

  const tasks = await tasksOf(overdue.id);
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ title: hba1c[0]!.title, status: TaskStatus.REQUESTED });
  expect(await tasksOf(recent.id)).toHaveLength(0);
  expect(await messagesOf(recent.id)).toHaveLength(0);

  const gaps = await hub.graphql<{
    careGaps: { gapKey: string; period: string; taskId: string }[];
  }>(CARE_GAPS, { patientId: overdue.id }, nurse);
  expect(gaps.errors).toBeUndefined();
  expect(gaps.data!.careGaps).toEqual([
    {
      gapKey: 'hba1c-diabetes',
      period: new Date(clock.at.getTime() - 240 * DAY).toISOString().slice(0, 10),
      status: 'open',
      title: hba1c[0]!.title,
      taskId: tasks[0]!.id,
    },
  ]);
  const none = await hub.graphql<{ careGaps: unknown[] }>(
    CARE_GAPS,
    { patientId: recent.id },
    nurse,
  );
  expect(none.data!.careGaps).toEqual([]);
  const billing = await hub.graphql(CARE_GAPS, { patientId: overdue.id }, { role: Role.BILLING });
  expect(billing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  // The outreach message goes out by email (no SMS channel here), once, without the condition.
  const sent = await eventually(async () => {
    const [message] = await messagesOf(overdue.id);
    return message?.status === 'sent' ? message : undefined;
  });
  expect(sent).toMatchObject({
    ruleKey: 'care-gap-outreach',
    trigger: 'care-gap:hba1c-diabetes',
    channel: 'email',
  });
  const mails = mailsTo(overdue.email);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.raw).toContain('preventive care visit');
  expect(mails[0]!.raw).not.toMatch(/diabet|a1c/i);

  // Sweeping again raises nothing for them.
  const second = await sweep();
  expect(second).toMatchObject({ raised: 0, planned: 0 });
  expect(await tasksOf(overdue.id)).toHaveLength(1);
  expect(await messagesOf(overdue.id)).toHaveLength(1);
  expect(mailsTo(overdue.email)).toHaveLength(1);
}, 60_000);

it('closes a gap when the evidence arrives: its pending message is withdrawn', async () => {
  // Midnight in Tokyo: the message waits for the morning.
  const late = await patient('Keiko', {
    timeZone: 'Asia/Tokyo',
    conditions: [{ system: SNOMED, code: '44054006' }],
  });
  await recordHbA1c(late.id, 400);
  await sweep();
  const deferred = await eventually(async () => {
    const [message] = await messagesOf(late.id);
    return message?.status === 'deferred' ? message : undefined;
  });
  expect(deferred.reasonCode).toBe('QUIET_HOURS');

  await recordHbA1c(late.id, 1);
  const result = await sweep();
  expect(result.closed).toBeGreaterThanOrEqual(1);
  const [message] = await messagesOf(late.id);
  expect(message).toMatchObject({ status: 'cancelled', reasonCode: 'CARE_GAP_CLOSED' });
  const gaps = await hub.graphql<{ careGaps: unknown[] }>(CARE_GAPS, { patientId: late.id }, nurse);
  expect(gaps.data!.careGaps).toEqual([]);
  // The care team's Task stays theirs to complete (the plugin's account may not write clinical records).
  expect(await tasksOf(late.id)).toHaveLength(1);
  expect(mailsTo(late.email)).toHaveLength(0);
}, 60_000);

it('runs the sweep job on request: a diabetic patient never tested gets a Task', async () => {
  const never = await patient('Nadia', {
    timeZone: 'America/New_York',
    conditions: [{ system: SNOMED, code: '46635009' }],
  });
  const denied = await hub.graphql(`mutation { runCareGapSweep }`, {}, coordinator);
  expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const queued = await hub.graphql(`mutation { runCareGapSweep }`, {}, { role: Role.ADMIN });
  expect(queued.data).toEqual({ runCareGapSweep: true });
  const [task] = await eventually(async () => {
    const tasks = await tasksOf(never.id);
    return tasks.length ? tasks : undefined;
  });
  expect(task!.title).toBe(hba1c[0]!.title);
  const gaps = await hub.graphql<{ careGaps: { period: string }[] }>(
    CARE_GAPS,
    { patientId: never.id },
    nurse,
  );
  expect(gaps.data!.careGaps).toEqual([expect.objectContaining({ period: 'none' })]);
}, 60_000);

it('sends a campaign to its audience by condition: the patient who opted in to wellness gets it, the other is skipped', async () => {
  await inTenant((scope) =>
    scope.consents.record({
      patientId: overdue.id,
      scope: ConsentScope.COMMUNICATION,
      purpose: ConsentPurpose.WELLNESS,
      periodStart: new Date(start.getTime() - DAY),
      source: 'test',
    }),
  );
  const SAVE_CONTENT = `mutation($input: SaveContentItemInput!) { saveContentItem(input: $input) { id version phiWarnings } }`;
  const refused = await hub.graphql(
    SAVE_CONTENT,
    {
      input: {
        name: 'Bad',
        purpose: 'WELLNESS',
        translations: [
          { language: 'en', title: 'Your result', body: 'Your value: {{observation.value}}' },
        ],
      },
    },
    coordinator,
  );
  expect(refused.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    invalidFields: [{ path: ['input', 'translations', 0, 'body'] }],
  });

  const content = await hub.graphql<{ saveContentItem: { id: string; phiWarnings: string[] } }>(
    SAVE_CONTENT,
    {
      input: {
        name: 'Winter walking',
        purpose: 'WELLNESS',
        conditions: [{ system: TEST_CODES, codes: ['campaign-audience'] }],
        translations: [
          {
            language: 'en',
            title: 'Stay active this winter',
            body: 'Hi {{recipient.givenName}}, a short walk every day keeps you well. More tips: {{links.portal}}',
          },
          {
            language: 'es',
            title: 'Mantente activo',
            body: 'Hola {{recipient.givenName}}, un paseo corto cada dia. Mas consejos: {{links.portal}}',
          },
        ],
      },
    },
    coordinator,
  );
  expect(content.errors).toBeUndefined();
  expect(content.data!.saveContentItem.phiWarnings).toEqual([]);
  const linked = await hub.graphql<{ contentItems: { id: string }[] }>(
    `query($s: String, $c: String) { contentItems(conditionSystem: $s, conditionCode: $c) { id } }`,
    { s: TEST_CODES, c: 'campaign-audience' },
    coordinator,
  );
  expect(linked.data!.contentItems).toEqual([{ id: content.data!.saveContentItem.id }]);

  const audience = { conditions: [{ system: TEST_CODES, codes: ['campaign-*'] }] };
  const badAudience = await hub.graphql(
    `query($audience: CampaignAudienceInput!) { campaignAudiencePreview(audience: $audience) }`,
    { audience: { ...audience, ageMin: 60, ageMax: 40 } },
    coordinator,
  );
  expect(badAudience.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    invalidFields: [{ path: ['audience', 'ageMax'] }],
  });
  const preview = await hub.graphql<{ campaignAudiencePreview: number }>(
    `query($audience: CampaignAudienceInput!) { campaignAudiencePreview(audience: $audience) }`,
    { audience },
    coordinator,
  );
  expect(preview.data).toEqual({ campaignAudiencePreview: 2 });
  const nurseDenied = await hub.graphql(`{ campaigns { id } }`, {}, nurse);
  expect(nurseDenied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const saved = await hub.graphql<{ saveCampaign: { id: string; status: string } }>(
    `mutation($input: SaveCampaignInput!) { saveCampaign(input: $input) { id status audience { conditions { system codes } } } }`,
    {
      input: {
        name: 'Winter walking 2026',
        contentItemId: content.data!.saveContentItem.id,
        audience,
      },
    },
    coordinator,
  );
  expect(saved.errors).toBeUndefined();
  const campaignId = saved.data!.saveCampaign.id;
  const scheduled = await hub.graphql<{ scheduleCampaign: { status: string } }>(
    `mutation($id: ID!, $at: DateTimeISO) { scheduleCampaign(id: $id, at: $at) { status } }`,
    { id: campaignId, at: clock.at.toISOString() },
    coordinator,
  );
  expect(scheduled.errors).toBeUndefined();
  expect(scheduled.data!.scheduleCampaign.status).toBe('SCHEDULED');

  const campaignMessage = async (patientId: string) =>
    (await messagesOf(patientId)).find((m) => m.about === `Campaign/${campaignId}`);
  const sent = await eventually(async () => {
    const m = await campaignMessage(overdue.id);
    return m?.status === 'sent' ? m : undefined;
  });
  expect(sent).toMatchObject({ purpose: 'wellness', channel: 'email' });
  const skipped = await eventually(async () => {
    const m = await campaignMessage(recent.id);
    return m?.status === 'skipped' ? m : undefined;
  });
  expect(skipped.reasonCode).toBe('NO_MARKETING_OPT_IN');
  const tips = mailsTo(overdue.email).filter((m) => m.raw.includes('Stay active this winter'));
  expect(tips).toHaveLength(1);
  expect(tips[0]!.raw).toContain('a short walk every day');
  expect(mailsTo(recent.email)).toHaveLength(0);

  const listed = await hub.graphql<{
    campaigns: { id: string; status: string; plannedCount: number }[];
  }>(`{ campaigns { id status plannedCount } }`, {}, coordinator);
  expect(listed.data!.campaigns.find((c) => c.id === campaignId)).toMatchObject({
    status: 'SENT',
    plannedCount: 2,
  });
}, 60_000);
