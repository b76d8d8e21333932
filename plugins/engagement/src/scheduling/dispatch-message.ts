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
  TemplateError,
  type MessageTemplate,
  type RenderedMessage,
  type TemplateChannel,
} from '../templates/index.js';
import { decideDispatch, type DispatchDecision } from './decide-dispatch.js';
import { previousSends } from './dispatch-store.js';
import { messageLinks } from './message-links.js';

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

async function load(em: EntityManager, row: ScheduledMessage): Promise<Loaded> {
  const rule = await em.findOneOrFail(EngagementRule, {
    key: row.ruleKey,
    version: row.ruleVersion,
  });
  const patient = await em.findOneOrFail(Patient, row.patientId);
  const relatedPerson =
    row.recipientType === 'RelatedPerson'
      ? ((await em.findOne(RelatedPerson, row.recipientId)) ?? undefined)
      : undefined;
  const appointmentId = row.about?.startsWith('Appointment/') ? row.about.slice(12) : undefined;
  const appointment = appointmentId
    ? ((await em.findOne(Appointment, appointmentId, { populate: ['practitioner'] })) ?? undefined)
    : undefined;
  const consents = await em.find(Consent, { patient: row.patientId });
  return { row, rule, patient, relatedPerson, appointment, consents };
}

/**
 * Sends, defers or skips one message this dispatcher claimed (`claimDue`), as the plugin's
 * account: the decision (`decideDispatch`) is taken now, with the recipient's consents, contact
 * points and sending history as they are now; the message is rendered only when it goes out. Each
 * outcome is one transaction; a sent message gets its `Communication` (audited) in the same one.
 * A crash after the channel accepted it and before that commit sends it again once the lease ends
 * (at least once; the channel's idempotency key lets the provider recognise the resend).
 */
export async function dispatchClaimed(
  scope: TenantScope,
  id: string,
  deps: DispatchDeps,
  now: Date,
): Promise<DispatchOutcome> {
  const { config } = deps.ctx;
  const em = scope.em.fork() as EntityManager;
  const claimed = await em.findOne(ScheduledMessage, id);
  if (!claimed || claimed.status !== ScheduledMessageStatus.SENDING) return 'gone';
  // Claimed more often than it may be tried: earlier attempts failed before any outcome.
  const claim = claimed.attempts;
  if (claim > config.dispatch.maxAttempts) {
    await settle(scope, id, claim, ScheduledMessageStatus.FAILED, { reasonCode: 'DISPATCH_ERROR' });
    return 'failed';
  }
  const loaded = await load(em, claimed);
  const { row, rule, patient, relatedPerson, appointment } = loaded;
  const recipient: Recipient = relatedPerson
    ? { kind: 'related-person', relatedPerson }
    : { kind: 'patient' };
  const exempt = [...CAP_EXEMPT_PURPOSES];
  const history = new Map<CommunicationChannel, Date[]>();
  for (const channel of rule.definition.channels)
    history.set(
      channel,
      await previousSends(
        em,
        scope.tenantId,
        row.recipientId,
        channel,
        new Date(now.getTime() - CAP_HISTORY_MS),
        exempt,
      ),
    );
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
          previousSends: (channel) => history.get(channel) ?? [],
          timeZone: patient.timeZone ?? config.defaultTimeZone,
          window: rule.definition.allowedHours ?? config.sendingWindow,
        });
  if (decision.kind === 'skip') {
    await settle(scope, id, claim, ScheduledMessageStatus.SKIPPED, { reasonCode: decision.reason });
    return 'skipped';
  }
  if (decision.kind === 'defer') {
    await settle(scope, id, claim, ScheduledMessageStatus.DEFERRED, {
      dueAt: decision.until,
      channel: decision.channel,
      reasonCode: decision.reason,
    });
    return 'deferred';
  }
  let rendered: RenderedMessage;
  try {
    const templates = (await deps.templatesFor?.(em, row)) ?? deps.templates;
    const template = selectTemplate(templates, {
      key: row.templateKey,
      channel: decision.channel as TemplateChannel,
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
    await settle(scope, id, claim, ScheduledMessageStatus.FAILED, { reasonCode: error.code });
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
    const recorded = await scope.write(async (w) => {
      const wem = w.em as EntityManager;
      const message = await stillClaimed(wem, id, claim);
      // Our lease ran out mid-send and another dispatcher claimed it: that one records it.
      if (!message) return false;
      const communication = wem.create(Communication, {
        tenantId: scope.tenantId,
        patient: patient.id,
        channel: decision.channel,
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
        channel: decision.channel,
        sentAt: now,
        providerMessageId: receipt.providerMessageId,
        addressIndex: scope.blindIndex(normalizeAddress(decision.channel, decision.address)),
        communicationId: communication.id,
        leaseUntil: undefined,
        reasonCode: undefined,
      });
      w.audit({
        action: 'C',
        type: 'Communication',
        entity: `Communication/${communication.id}`,
        patientId: patient.id,
        detail: { channel: decision.channel, rule: rule.key, trigger: message.trigger },
      });
      return true;
    });
    if (!recorded)
      deps.ctx.logger.warn(
        { messageId: id },
        'engagement: sent after its lease ran out; not recorded',
      );
    return recorded ? 'sent' : 'gone';
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    // The code only: a library's own message can quote the recipient's address.
    deps.ctx.logger.warn({ code: error.code, messageId: id }, 'engagement: delivery failed');
    if (error.retryable && row.attempts < config.dispatch.maxAttempts) {
      const delay = Math.min(FIRST_RETRY_MS * 2 ** (row.attempts - 1), MAX_RETRY_MS);
      await settle(scope, id, claim, ScheduledMessageStatus.SCHEDULED, {
        dueAt: new Date(now.getTime() + delay),
        channel: decision.channel,
        reasonCode: error.code,
      });
      return 'retry';
    }
    const bounced = error.code === DeliveryErrorCode.REJECTED;
    await settle(
      scope,
      id,
      claim,
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
 * The message, locked, if this dispatcher's claim (`claim`: its attempt number) still holds it:
 * a lease that ran out may have been taken by another dispatcher, whose outcome must not be
 * overwritten.
 */
async function stillClaimed(
  em: EntityManager,
  id: string,
  claim: number,
): Promise<ScheduledMessage | undefined> {
  const message = await em.findOne(ScheduledMessage, id, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
  });
  return message?.status === ScheduledMessageStatus.SENDING && message.attempts === claim
    ? message
    : undefined;
}

/**
 * Records a claimed message's outcome and gives up its lease, in a transaction of its own;
 * nothing when the claim was lost (`stillClaimed`).
 */
async function settle(
  scope: TenantScope,
  id: string,
  claim: number,
  status: ScheduledMessageStatus,
  fields: Partial<Pick<ScheduledMessage, 'dueAt' | 'channel' | 'reasonCode'>>,
): Promise<void> {
  await scope.write(async (w) => {
    const message = await stillClaimed(w.em as EntityManager, id, claim);
    if (message) Object.assign(message, { status, leaseUntil: undefined, ...fields });
  });
}
