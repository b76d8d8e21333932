import {
  AppointmentStatus,
  CarePlan,
  CarePlanActivity,
  CarePlanActivityStatus,
  CarePlanGoal,
  CarePlanStatus,
  Communication,
  CommunicationChannel,
  CommunicationStatus,
  Consent,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
  ConsentStatus,
  GoalLifecycleStatus,
  RequestPriority,
  Task,
  TaskStatus,
  type Appointment,
  type CareTeam,
  type Observation,
  type Practitioner,
} from '@caregraph/schema';
import { SYSTEMS, type ConditionKey } from './catalog.js';
import { CARE_PLANS } from './programs.js';
import type { AssignedCondition, SeedScope } from './clinical.js';
import type { SeededPatient } from './patients.js';
import { DEMO_TENANT } from './people.js';
import { addDays, isoDate } from './random.js';
import { coded } from './values.js';

/** Creates one care plan (with goals and activities) for the patient's main chronic condition. */
export function createCarePlan(
  scope: SeedScope,
  seeded: SeededPatient,
  conditions: readonly AssignedCondition[],
  authorFor: (condition: ConditionKey) => Practitioner,
): CarePlan | undefined {
  const { em, tenantId, now, random } = scope;
  const active = new Set(
    conditions.filter((condition) => condition.active).map((condition) => condition.def.key),
  );
  const template = CARE_PLANS.find((plan) => active.has(plan.for));
  if (!template) return undefined;
  const onset = conditions.find((condition) => condition.def.key === template.for)?.onset ?? now;
  const planned = addDays(now, -random.int(30, 500));
  const periodStart =
    planned < onset ? new Date(Math.min(addDays(onset, 7).getTime(), now.getTime())) : planned;
  const carePlan = em.create(CarePlan, {
    tenantId,
    patient: seeded.patient,
    title: template.title,
    description: template.description,
    status: CarePlanStatus.ACTIVE,
    intent: 'plan',
    category: coded(SYSTEMS.snomed, template.category),
    periodStart,
    author: authorFor(template.for),
  });
  for (const goal of random.sample(template.goals, random.int(1, 2))) {
    em.create(CarePlanGoal, {
      tenantId,
      carePlan,
      description: goal.description,
      target: goal.target,
      lifecycleStatus: GoalLifecycleStatus.ACTIVE,
      dueDate: isoDate(addDays(now, random.int(60, 270))),
      achievementStatus: random.pick(['in-progress', 'improving', 'no-change', 'worsening']),
    });
  }
  for (const description of random.sample(template.activities, random.int(1, 2))) {
    const status = random.pick([
      CarePlanActivityStatus.SCHEDULED,
      CarePlanActivityStatus.IN_PROGRESS,
      CarePlanActivityStatus.COMPLETED,
      CarePlanActivityStatus.NOT_STARTED,
    ]);
    const scheduledAt =
      status === CarePlanActivityStatus.SCHEDULED
        ? addDays(now, random.int(3, 60))
        : status === CarePlanActivityStatus.COMPLETED
          ? addDays(now, -random.int(3, 25))
          : undefined;
    em.create(CarePlanActivity, { tenantId, carePlan, description, status, scheduledAt });
  }
  return carePlan;
}

interface TaskTemplate {
  title: string;
  outcome: string;
  when?: ConditionKey;
  afterNoShow?: boolean;
}

const TASKS: readonly TaskTemplate[] = [
  {
    title: 'Review latest HbA1c result',
    outcome: 'Reviewed; no change to therapy.',
    when: 'diabetes',
  },
  {
    title: 'Prior authorization for continuous glucose monitor',
    outcome: 'Approved by payer.',
    when: 'diabetes',
  },
  {
    title: 'Collect home blood pressure log',
    outcome: 'Log received; readings at goal.',
    when: 'hypertension',
  },
  {
    title: 'Behavioral health follow-up call',
    outcome: 'Patient reached; next session confirmed.',
    when: 'depression',
  },
  { title: 'Follow up on missed appointment', outcome: 'Rescheduled.', afterNoShow: true },
  { title: 'Call patient about lab results', outcome: 'Results discussed with patient.' },
  { title: 'Medication reconciliation before next visit', outcome: 'Medication list reconciled.' },
  { title: 'Schedule annual wellness visit', outcome: 'Visit booked.' },
];

/** What a task can be assigned to. */
export interface TaskAssignees {
  owners: readonly Practitioner[];
  team: CareTeam;
  carePlan?: CarePlan;
  requesterUserId: string;
}

/** Creates 0-2 tasks about the patient: some completed, some open with a due date. */
export function createTasks(
  scope: SeedScope,
  seeded: SeededPatient,
  conditions: readonly AssignedCondition[],
  past: readonly Appointment[],
  assignees: TaskAssignees,
): void {
  const { em, tenantId, now, random } = scope;
  const active = new Set(
    conditions.filter((condition) => condition.active).map((condition) => condition.def.key),
  );
  const noShow = past.some((appointment) => appointment.status === AppointmentStatus.NO_SHOW);
  const fitting = TASKS.filter((task) =>
    task.when ? active.has(task.when) : task.afterNoShow ? noShow : true,
  );
  for (const template of random.sample(fitting, random.int(0, 2))) {
    const authoredOn = addDays(now, -random.int(1, 60));
    const completed = random.chance(0.4);
    const toTeam = random.chance(0.4);
    em.create(Task, {
      tenantId,
      patient: seeded.patient,
      title: template.title,
      status: completed
        ? TaskStatus.COMPLETED
        : random.pick([TaskStatus.REQUESTED, TaskStatus.READY, TaskStatus.IN_PROGRESS]),
      priority: random.chance(0.15) ? RequestPriority.URGENT : RequestPriority.ROUTINE,
      dueAt: completed ? undefined : addDays(now, random.int(-3, 14)),
      authoredOn,
      completedAt: completed
        ? new Date(authoredOn.getTime() + random.int(1, 48) * 3_600_000)
        : undefined,
      owner: toTeam ? undefined : random.pick(assignees.owners),
      ownerTeam: toTeam ? assignees.team : undefined,
      carePlan: assignees.carePlan && random.chance(0.5) ? assignees.carePlan : undefined,
      requesterUserId: assignees.requesterUserId,
      outcome: completed ? template.outcome : undefined,
    });
  }
}

/** Channels the patient agreed to receive care reminders on. */
export type ReminderChannels = CommunicationChannel[];

/**
 * Records consents: treatment for everyone, care reminders by SMS and e-mail for most,
 * a marketing refusal for some, and proxy access for a guardian or caregiver.
 */
export function createConsents(
  scope: SeedScope,
  seeded: SeededPatient,
  recordedByUserId: string,
): ReminderChannels {
  const { em, tenantId, now, random } = scope;
  const { patient, profile, registeredAt } = seeded;
  const base = { tenantId, patient, recordedByUserId, status: ConsentStatus.ACTIVE };
  em.create(Consent, {
    ...base,
    scope: ConsentScope.TREATMENT,
    purpose: ConsentPurpose.TREATMENT,
    decision: ConsentDecision.PERMIT,
    periodStart: registeredAt,
    source: 'signed-form',
  });
  const channels: ReminderChannels = [];
  const since = (max: number) => {
    const date = addDays(registeredAt, random.int(0, max));
    return date > now ? now : date;
  };
  if (profile.mobile && random.chance(0.85)) {
    channels.push(CommunicationChannel.SMS);
    em.create(Consent, {
      ...base,
      scope: ConsentScope.COMMUNICATION,
      purpose: ConsentPurpose.CARE_REMINDERS,
      decision: ConsentDecision.PERMIT,
      channel: CommunicationChannel.SMS,
      periodStart: since(30),
      source: random.pick(['portal', 'verbal', 'sms-keyword']),
    });
  }
  if (profile.email && random.chance(0.8)) {
    channels.push(CommunicationChannel.EMAIL);
    em.create(Consent, {
      ...base,
      scope: ConsentScope.COMMUNICATION,
      purpose: ConsentPurpose.CARE_REMINDERS,
      decision: ConsentDecision.PERMIT,
      channel: CommunicationChannel.EMAIL,
      periodStart: since(30),
      source: 'portal',
    });
  }
  if (random.chance(0.3)) {
    em.create(Consent, {
      ...base,
      scope: ConsentScope.COMMUNICATION,
      purpose: ConsentPurpose.MARKETING,
      decision: ConsentDecision.DENY,
      periodStart: since(300),
      source: random.pick(['portal', 'verbal']),
    });
  }
  if (seeded.related && profile.related?.proxyAccess) {
    em.create(Consent, {
      ...base,
      scope: ConsentScope.PATIENT_PRIVACY,
      purpose: ConsentPurpose.PROXY_ACCESS,
      decision: ConsentDecision.PERMIT,
      grantee: seeded.related,
      periodStart: since(10),
      source: 'signed-form',
    });
  }
  return channels;
}

const MESSAGES = {
  en: {
    reminderSubject: 'Appointment reminder',
    reminder: (when: string) =>
      `${DEMO_TENANT.name}: reminder of your appointment on ${when} - reply C to confirm or R to reschedule.`,
    resultsSubject: 'New test results',
    results: 'New test results are available in your patient portal.',
  },
  es: {
    reminderSubject: 'Recordatorio de cita',
    reminder: (when: string) =>
      `${DEMO_TENANT.name}: le recordamos su cita el ${when} - responda C para confirmar o R para cambiarla.`,
    resultsSubject: 'Nuevos resultados',
    results: 'Tiene nuevos resultados de laboratorio en su portal del paciente.',
  },
} as const;

/**
 * Creates 0-3 outbound messages on consented channels: reminders of appointments (sent a day
 * or two before) and notices of released lab results. Nothing is sent without consent.
 */
export function createCommunications(
  scope: SeedScope,
  seeded: SeededPatient,
  channels: ReminderChannels,
  appointments: readonly Appointment[],
  labs: readonly Observation[],
): void {
  const { em, tenantId, now, random } = scope;
  if (channels.length === 0) return;
  const language = seeded.profile.language === 'es' ? 'es' : 'en';
  const text = MESSAGES[language];
  const format = new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
    timeZone: seeded.profile.city.timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  const candidates: {
    occurredAt: Date;
    category: string;
    subject: string;
    body: string;
    about: string;
  }[] = [];
  for (const appointment of appointments) {
    const occurredAt = new Date(appointment.start.getTime() - random.int(24, 48) * 3_600_000);
    if (occurredAt >= now) continue;
    candidates.push({
      occurredAt,
      category: 'reminder',
      subject: text.reminderSubject,
      body: text.reminder(format.format(appointment.start)),
      about: `Appointment/${appointment.id}`,
    });
  }
  const released = labs.find((lab) => lab.releasedToPatient && lab.issuedAt);
  if (released?.issuedAt) {
    const occurredAt = new Date(released.issuedAt.getTime() + 2 * 3_600_000);
    if (occurredAt < now)
      candidates.push({
        occurredAt,
        category: 'notification',
        subject: text.resultsSubject,
        body: text.results,
        about: `Observation/${released.id}`,
      });
  }
  for (const message of random.sample(candidates, random.int(0, 3))) {
    const channel = random.pick(channels);
    em.create(Communication, {
      tenantId,
      patient: seeded.patient,
      channel,
      status: random.chance(0.75) ? CommunicationStatus.DELIVERED : CommunicationStatus.SENT,
      category: message.category,
      subject: channel === CommunicationChannel.EMAIL ? message.subject : undefined,
      body: message.body,
      occurredAt: message.occurredAt,
      about: message.about,
    });
  }
}
