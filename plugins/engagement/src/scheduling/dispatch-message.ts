import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  Appointment,
  Communication,
  CommunicationChannel,
  CommunicationStatus,
  Consent,
  Patient,
  RelatedPerson,
} from '@caregraph/schema';
import type { PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import { DeliveryError, DeliveryErrorCode, type DeliveryChannel } from '../channels/index.js';
import type { EngagementConfig } from '../config.js';
import { CAP_EXEMPT_PURPOSES, normalizeAddress, type Recipient } from '../policy/index.js';
import { EngagementRule } from '../store/engagement-rule.js';
import { COMMUNICATION_CATEGORY } from '../store/rule-kind.js';
import { ScheduledMessage } from '../store/scheduled-message.js';
import { ScheduledMessageStatus } from '../store/scheduled-message-status.js';
import {
  buildRenderModel,
  renderTemplate,
  selectTemplate,
  templateChannelOf,
  TemplateError,
  type MessageTemplate,
  type RenderedMessage,
} from '../templates/index.js';
import { decideDispatch, type DispatchDecision } from './decide-dispatch.js';
import { previousSendsOf, sendsKey } from './dispatch-store.js';
import { messageLinks } from './message-links.js';
import { recipientLanes } from './recipient-lanes.js';

const DAY_MS = 24 * 3_600_000;
/** The caps look back a week; a day more covers any local-day boundary. */
const CAP_HISTORY_MS = 8 * DAY_MS;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 3_600_000;

/** What dispatching runs with. */
export interface DispatchDeps {
  ctx: PluginContext<EngagementConfig>;
  channels: ReadonlyMap<CommunicationChannel, DeliveryChannel>;
  templates: readonly MessageTemplate[];
  /** Templates of one message in place of `templates` (campaign content); undefined: none. */
  templatesFor?: PerMessageTemplates;
}

/** Looks up the templates of one message that are not fixed (e.g. a campaign's content). */
export type PerMessageTemplates = (
  em: EntityManager,
  message: ScheduledMessage,
) => Promise<readonly MessageTemplate[] | undefined>;

/** What became of a claimed message. */
export type DispatchOutcome = 'sent' | 'deferred' | 'skipped' | 'retry' | 'failed' | 'gone';

/** What a message is rendered and sent from, loaded as the plugin's account. */
interface Loaded {
  row: ScheduledMessage;
  rule: EngagementRule;
  patient: Patient;
  relatedPerson?: RelatedPerson;
  appointment?: Appointment;
  consents: Consent[];
}

/** A message the channel accepted, to be recorded as sent. */
interface Accepted {
  loaded: Loaded;
  channel: CommunicationChannel;
  address: string;
  rendered: RenderedMessage;
  providerMessageId: string;
}

const appointmentIdOf = (row: ScheduledMessage) =>
  row.about?.startsWith('Appointment/') ? row.about.slice(12) : undefined;

function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

/**
 * What the batch's messages are rendered and sent from, read with one statement per kind of
 * record (rules, patients, caregivers, appointments with their practitioners, consents) rather
 * than one per message. A message whose rule or patient is missing gets an Error: it is retried
 * after its lease, as a message whose dispatch threw.
 */
async function loadAll(
  em: EntityManager,
  rows: readonly ScheduledMessage[],
): Promise<Map<string, Loaded | Error>> {
  const distinct = (values: (string | undefined)[]) =>
    [...new Set(values)].filter((v): v is string => v !== undefined);
  const patientIds = distinct(rows.map((r) => r.patientId));
  const relatedIds = distinct(
    rows.map((r) => (r.recipientType === 'RelatedPerson' ? r.recipientId : undefined)),
  );
  const appointmentIds = distinct(rows.map(appointmentIdOf));
  const ruleVersions = [
    ...new Map(rows.map((r) => [`${r.ruleKey}@${r.ruleVersion}`, r])).values(),
  ].map((r) => ({ key: r.ruleKey, version: r.ruleVersion }));
  const [rules, patients, related, appointments, consents] = await Promise.all([
    em.find(EngagementRule, { $or: ruleVersions }),
    em.find(Patient, { id: { $in: patientIds } }),
    relatedIds.length ? em.find(RelatedPerson, { id: { $in: relatedIds } }) : [],
    appointmentIds.length
      ? em.find(Appointment, { id: { $in: appointmentIds } }, { populate: ['practitioner'] })
      : [],
    em.find(Consent, { patient: { $in: patientIds } }),
  ]);
  const ruleBy = indexBy(rules, (r) => `${r.key}@${r.version}`);
  const patientBy = indexBy(patients, (p) => p.id);
  const relatedBy = indexBy(related, (r) => r.id);
  const appointmentBy = indexBy(appointments, (a) => a.id);
  const consentsBy = new Map<string, Consent[]>();
  for (const consent of consents) {
    const id = consent.patient.id;
    consentsBy.set(id, [...(consentsBy.get(id) ?? []), consent]);
  }
  const loaded = new Map<string, Loaded | Error>();
  for (const row of rows) {
    const rule = ruleBy.get(`${row.ruleKey}@${row.ruleVersion}`);
    const patient = patientBy.get(row.patientId);
    if (!rule || !patient) {
      loaded.set(row.id, new Error(rule ? 'patient not found' : 'rule not found'));
      continue;
    }
    const appointmentId = appointmentIdOf(row);
    loaded.set(row.id, {
      row,
      rule,
      patient,
      relatedPerson:
        row.recipientType === 'RelatedPerson' ? relatedBy.get(row.recipientId) : undefined,
      appointment: appointmentId ? appointmentBy.get(appointmentId) : undefined,
      consents: consentsBy.get(row.patientId) ?? [],
    });
  }
  return loaded;
}

/**
 * Sends, defers or skips one message this dispatcher claimed (`claimDue`): a batch of one
 * (`dispatchClaimedBatch`).
 */
export async function dispatchClaimed(
  scope: TenantScope,
  id: string,
  deps: DispatchDeps,
  now: Date,
): Promise<DispatchOutcome> {
  const [outcome] = await dispatchClaimedBatch(scope, [id], deps, now);
  return outcome!;
}

/**
 * Sends, defers or skips the messages this dispatcher claimed (`claimDue`), as the plugin's
 * account; resolves with what became of each, in the order of `ids`. Each decision
 * (`decideDispatch`) is taken now, with the recipient's consents, contact points and sending
 * history as they are now (read for the batch as it starts; a message sent earlier in the batch
 * counts against its recipient's caps); a message is rendered only when it goes out.
 *
 * Messages to different recipients are sent concurrently, at most `dispatch.concurrency` at a
 * time; those to the same recipient one after the other, so the caps see each send. A skip, a
 * deferral or a failure is one transaction per message; the messages the channel accepted are
 * recorded together once the batch's sends are done, in one transaction: each becomes `SENT`
 * with its own `Communication` (audited). A crash after a channel accepted a message and before
 * that commit sends it again once the lease ends (at least once; the channel's idempotency key
 * lets the provider recognise the resend). A message whose dispatch throws is left claimed and
 * tried again after its lease (`retry`), without holding up the others.
 */
export async function dispatchClaimedBatch(
  scope: TenantScope,
  ids: readonly string[],
  deps: DispatchDeps,
  now: Date,
): Promise<DispatchOutcome[]> {
  return (await sendClaimedBatch(scope, ids, deps, now)).outcomes;
}

/** A send of a batch whose recording may not have committed yet. */
export interface UnrecordedSend {
  recipientId: string;
  channel: CommunicationChannel;
  at: Date;
}

/** A batch whose sends are done and whose recording has started. */
export interface SentBatch {
  /** Its sends: the next batch's caps count them while they are being recorded. */
  sends: UnrecordedSend[];
  /** What became of each message, in the order of `ids`, once the sends are recorded. */
  outcomes: Promise<DispatchOutcome[]>;
}

/**
 * `dispatchClaimedBatch` up to the sends: resolves once they are done, with the recording of
 * the accepted ones under way (`outcomes`), so the dispatcher can claim and read the next batch
 * meanwhile. `unrecorded` are the previous batch's sends, counted against the caps as if
 * recorded (they are, or are left claimed and sent again: counting them holds back, never more).
 */
export async function sendClaimedBatch(
  scope: TenantScope,
  ids: readonly string[],
  deps: DispatchDeps,
  now: Date,
  unrecorded: readonly UnrecordedSend[] = [],
): Promise<SentBatch> {
  const { config, logger } = deps.ctx;
  const em = scope.em.fork() as EntityManager;
  const outcomes = new Map<string, DispatchOutcome>();
  const found = ids.length ? await em.find(ScheduledMessage, { id: { $in: [...ids] } }) : [];
  const claimed: ScheduledMessage[] = [];
  for (const row of found) {
    if (row.status !== ScheduledMessageStatus.SENDING) continue;
    // Claimed more often than it may be tried: earlier attempts failed before any outcome.
    if (row.attempts > config.dispatch.maxAttempts) {
      await settle(scope, row, ScheduledMessageStatus.FAILED, { reasonCode: 'DISPATCH_ERROR' });
      outcomes.set(row.id, 'failed');
    } else claimed.push(row);
  }
  const loaded = claimed.length ? await loadAll(em, claimed) : new Map<string, Loaded | Error>();
  const channels = [...new Set(claimed.flatMap((r) => rulesChannels(loaded.get(r.id))))];
  const history = await previousSendsOf(
    em,
    scope.tenantId,
    claimed.map((r) => r.recipientId),
    channels,
    new Date(now.getTime() - CAP_HISTORY_MS),
    [...CAP_EXEMPT_PURPOSES],
  );
  for (const send of unrecorded) {
    const key = sendsKey(send.recipientId, send.channel);
    history.set(key, [...(history.get(key) ?? []), send.at]);
  }

  const ownTemplates = await templatesOfMessages(em, claimed, deps.templatesFor);

  const accepted: Accepted[] = [];
  const failed = (id: string, error: unknown) => {
    // The error's name only: a library's message can quote PHI.
    logger.warn(
      { err: { name: (error as Error).name }, messageId: id },
      'engagement: dispatching a message failed; retried after its lease',
    );
    outcomes.set(id, 'retry');
  };
  const queue = recipientLanes(claimed);
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift())
      for (const row of lane) {
        const item = loaded.get(row.id)!;
        if (item instanceof Error) {
          failed(row.id, item);
          continue;
        }
        try {
          const templates = ownTemplates.get(row.id) ?? deps.templates;
          const result = await dispatchOne(scope, item, { ...deps, templates }, now, history);
          if (typeof result === 'string') outcomes.set(row.id, result);
          else {
            accepted.push(result);
            const key = sendsKey(row.recipientId, result.channel);
            history.set(key, [...(history.get(key) ?? []), now]);
          }
        } catch (error) {
          failed(row.id, error);
        }
      }
  };
  await Promise.all(
    Array.from({ length: Math.min(config.dispatch.concurrency, queue.length) }, worker),
  );
  const recorded = async () => {
    if (accepted.length)
      try {
        const recorded = await recordSent(scope, accepted, now);
        for (const a of accepted) {
          const id = a.loaded.row.id;
          if (recorded.has(id)) outcomes.set(id, 'sent');
          else {
            // Its lease ran out mid-send and another dispatcher claimed it: that one records it.
            logger.warn(
              { messageId: id },
              'engagement: sent after its lease ran out; not recorded',
            );
            outcomes.set(id, 'gone');
          }
        }
      } catch (error) {
        // Left claimed: sent again once their lease ends (at least once).
        for (const a of accepted) failed(a.loaded.row.id, error);
      }
    return ids.map((id) => outcomes.get(id) ?? 'gone');
  };
  return {
    sends: accepted.map((a) => ({
      recipientId: a.loaded.row.recipientId,
      channel: a.channel,
      at: now,
    })),
    outcomes: recorded(),
  };
}

function rulesChannels(item: Loaded | Error | undefined): CommunicationChannel[] {
  return item && !(item instanceof Error) ? item.rule.definition.channels : [];
}

/**
 * Decides and, when it goes out, renders and sends one loaded message. Resolves with its
 * outcome when it did not go out (recorded here), or with what to record as sent.
 */
/**
 * The templates of the claimed messages that bring their own (a campaign's content), read before
 * the sends start, once per subject (`about`) of the batch.
 */
async function templatesOfMessages(
  em: EntityManager,
  claimed: readonly ScheduledMessage[],
  templatesFor: PerMessageTemplates | undefined,
): Promise<Map<string, readonly MessageTemplate[]>> {
  const byMessage = new Map<string, readonly MessageTemplate[]>();
  if (!templatesFor) return byMessage;
  const bySubject = new Map<string, readonly MessageTemplate[] | undefined>();
  for (const row of claimed) {
    const subject = `${row.templateKey}|${row.about ?? ''}`;
    if (!bySubject.has(subject)) bySubject.set(subject, await templatesFor(em, row));
    const templates = bySubject.get(subject);
    if (templates) byMessage.set(row.id, templates);
  }
  return byMessage;
}

async function dispatchOne(
  scope: TenantScope,
  loaded: Loaded,
  deps: DispatchDeps,
  now: Date,
  history: ReadonlyMap<string, Date[]>,
): Promise<DispatchOutcome | Accepted> {
  const { config } = deps.ctx;
  const { row, rule, patient, relatedPerson, appointment } = loaded;
  const id = row.id;
  const recipient: Recipient = relatedPerson
    ? { kind: 'related-person', relatedPerson }
    : { kind: 'patient' };
  const decision: DispatchDecision =
    !relatedPerson && row.recipientType === 'RelatedPerson'
      ? { kind: 'skip', reason: 'RECIPIENT_GONE' }
      : decideDispatch({
          now,
          purpose: row.purpose,
          expiresAt: row.expiresAt,
          channels: rule.definition.channels,
          configured: new Set(deps.channels.keys()),
          recipient,
          telecom: (relatedPerson ?? patient).telecom,
          inAppAccount: relatedPerson ? undefined : patient.id,
          consents: loaded.consents,
          previousSends: (channel) => history.get(sendsKey(row.recipientId, channel)) ?? [],
          timeZone: patient.timeZone ?? config.defaultTimeZone,
          window: rule.definition.allowedHours ?? config.sendingWindow,
        });
  if (decision.kind === 'skip') {
    await settle(scope, row, ScheduledMessageStatus.SKIPPED, { reasonCode: decision.reason });
    return 'skipped';
  }
  if (decision.kind === 'defer') {
    await settle(scope, row, ScheduledMessageStatus.DEFERRED, {
      dueAt: decision.until,
      channel: decision.channel,
      reasonCode: decision.reason,
    });
    return 'deferred';
  }
  let rendered: RenderedMessage;
  try {
    const template = selectTemplate(deps.templates, {
      key: row.templateKey,
      channel: templateChannelOf(decision.channel),
      preferredLanguage: patient.preferredLanguage,
      tenantDefaultLanguage: config.defaultLanguage,
    });
    const model = buildRenderModel({
      patient,
      caregiver: relatedPerson,
      appointment,
      practice: {
        ...config.practice,
        defaultLanguage: config.defaultLanguage,
        defaultTimeZone: config.defaultTimeZone,
      },
      links: messageLinks(config.portalUrl, appointment?.id),
    });
    rendered = renderTemplate(template, model);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    deps.ctx.logger.warn({ code: error.code, messageId: id }, 'engagement: template failed');
    await settle(scope, row, ScheduledMessageStatus.FAILED, { reasonCode: error.code });
    return 'failed';
  }
  try {
    const receipt = await deps.channels.get(decision.channel)!.send({
      to: decision.address,
      subject: rendered.subject ?? config.practice.name,
      text: rendered.text,
      html: rendered.html,
      idempotencyKey: row.idempotencyKey,
    });
    return {
      loaded,
      channel: decision.channel,
      address: decision.address,
      rendered,
      providerMessageId: receipt.providerMessageId,
    };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    // The code only: a library's own message can quote the recipient's address.
    deps.ctx.logger.warn({ code: error.code, messageId: id }, 'engagement: delivery failed');
    if (error.retryable && row.attempts < config.dispatch.maxAttempts) {
      const delay = Math.min(FIRST_RETRY_MS * 2 ** (row.attempts - 1), MAX_RETRY_MS);
      await settle(scope, row, ScheduledMessageStatus.SCHEDULED, {
        dueAt: new Date(now.getTime() + delay),
        channel: decision.channel,
        reasonCode: error.code,
      });
      return 'retry';
    }
    const bounced = error.code === DeliveryErrorCode.REJECTED;
    await settle(
      scope,
      row,
      bounced ? ScheduledMessageStatus.BOUNCED : ScheduledMessageStatus.FAILED,
      {
        channel: decision.channel,
        reasonCode: error.code,
      },
    );
    return 'failed';
  }
}

/**
 * Records the accepted messages in one transaction: each `SENT` with the provider's id and
 * the blind index of its address, and its own `Communication` (the body encrypted at rest) and
 * audit row. Resolves with the ids recorded: a message whose claim was lost meanwhile (its lease
 * ran out and another dispatcher claimed it) is left to that dispatcher.
 */
async function recordSent(
  scope: TenantScope,
  accepted: readonly Accepted[],
  now: Date,
): Promise<Set<string>> {
  return scope.write(async (w) => {
    const wem = w.em as EntityManager;
    const messages = await stillClaimed(
      wem,
      accepted.map((a) => a.loaded.row),
    );
    for (const { loaded, channel, address, rendered, providerMessageId } of accepted) {
      const { rule, patient, relatedPerson } = loaded;
      const message = messages.get(loaded.row.id);
      if (!message) continue;
      const communication = wem.create(Communication, {
        tenantId: scope.tenantId,
        patient: patient.id,
        channel,
        status: CommunicationStatus.SENT,
        category: COMMUNICATION_CATEGORY[rule.kind],
        subject: rendered.subject,
        body: rendered.text,
        occurredAt: now,
        relatedPerson: relatedPerson?.id,
        about: message.about,
      });
      Object.assign(message, {
        status: ScheduledMessageStatus.SENT,
        channel,
        sentAt: now,
        providerMessageId,
        addressIndex: scope.blindIndex(normalizeAddress(channel, address)),
        communicationId: communication.id,
        leaseUntil: undefined,
        reasonCode: undefined,
      });
      w.audit({
        action: 'C',
        type: 'Communication',
        entity: `Communication/${communication.id}`,
        patientId: patient.id,
        detail: { channel, rule: rule.key, trigger: message.trigger },
      });
    }
    return new Set(messages.keys());
  });
}

/** This dispatcher's claim of a message: the row as claimed (its attempt number is the claim). */
type Claim = Pick<ScheduledMessage, 'id' | 'attempts'>;

/**
 * The claimed messages, locked, that this dispatcher's claim still holds (still `SENDING`, with
 * the attempt number it claimed them with): a lease that ran out may have been taken by another
 * dispatcher, whose outcome must not be overwritten.
 */
async function stillClaimed(
  em: EntityManager,
  claims: readonly Claim[],
): Promise<Map<string, ScheduledMessage>> {
  const attempts = new Map(claims.map((c) => [c.id, c.attempts]));
  const locked = await em.find(
    ScheduledMessage,
    { id: { $in: [...attempts.keys()] } },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  return indexBy(
    locked.filter(
      (m) => m.status === ScheduledMessageStatus.SENDING && m.attempts === attempts.get(m.id),
    ),
    (m) => m.id,
  );
}

/**
 * Records a claimed message's outcome and gives up its lease, in a transaction of its own;
 * nothing once the claim is lost (`stillClaimed`).
 */
async function settle(
  scope: TenantScope,
  claim: Claim,
  status: ScheduledMessageStatus,
  fields: Partial<Pick<ScheduledMessage, 'dueAt' | 'channel' | 'reasonCode'>>,
): Promise<void> {
  await scope.write(async (w) => {
    const message = (await stillClaimed(w.em as EntityManager, [claim])).get(claim.id);
    if (message) Object.assign(message, { status, leaseUntil: undefined, ...fields });
  });
}
