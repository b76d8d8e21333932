import type { EntityManager } from '@mikro-orm/sql';
import { Appointment, AppointmentStatus, isEntityId, Patient } from '@caregraph/schema';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import { messageLinks } from '../scheduling/message-links.js';
import { EngagementTemplate } from '../store/engagement-template.js';
import { currentTemplates, saveTemplateVersion } from '../store/template-repository.js';
import { templatesChanged, tenantTemplates } from '../store/tenant-templates.js';
import {
  buildRenderModel,
  DEFAULT_TEMPLATES,
  previewTemplate,
  selectTemplate,
  TemplateError,
  TemplateErrorCode,
  validateTemplate,
  type MessageTemplate,
  type RenderModelInput,
  type TemplateChannel,
  type TemplateFinding,
} from '../templates/index.js';
import {
  EngagementMessagePreview,
  SaveEngagementTemplateInput,
  SaveEngagementTemplatePayload,
} from './engagement-template-types.js';

const PREVIEW_CHANNELS: readonly TemplateChannel[] = ['sms', 'email', 'in-app'];
const HOUR = 3_600_000;

/**
 * The tenant's templates over GraphQL: the current ones, saving the next version (validated and
 * checked for minimum PHI: errors refuse it with BAD_USER_INPUT at the field, warnings come back
 * as findings), and a preview filled with one patient's data.
 */
@Resolver(() => EngagementTemplate)
export class EngagementTemplateResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => [EngagementTemplate], {
    description:
      "The tenant's own templates: the current version of each key, channel and language (the built-in ones fill the rest).",
  })
  async engagementTemplates(
    @Ctx() request: unknown,
    @Arg('key', () => String, { nullable: true }) key?: string,
  ): Promise<EngagementTemplate[]> {
    return currentTemplates(this.plugin.asCaller(request).em.fork() as EntityManager, key);
  }

  @Mutation(() => SaveEngagementTemplatePayload, {
    description:
      'Saves the next version of a template (version 1 when its key, channel and language are new); it replaces the built-in template of the same key, channel and language.',
  })
  async saveEngagementTemplate(
    @Arg('input', () => SaveEngagementTemplateInput) input: SaveEngagementTemplateInput,
    @Ctx() request: unknown,
  ): Promise<SaveEngagementTemplatePayload> {
    const template = {
      key: input.key,
      channel: input.channel,
      language: input.language,
      purpose: input.purpose,
      text: input.text,
      ...(input.subject != null ? { subject: input.subject } : {}),
      ...(input.html != null ? { html: input.html } : {}),
      version: 1,
    } as MessageTemplate;
    const findings = validateTemplate(template);
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length) throw invalidTemplate(errors);
    const scope = this.plugin.asCaller(request);
    const saved = await scope.write(async (w) => {
      const row = await saveTemplateVersion(
        w.em as EntityManager,
        scope.tenantId,
        template,
        scope.actorUserId,
      );
      w.audit({
        action: row.version === 1 ? 'C' : 'U',
        type: 'EngagementTemplate',
        entity: `EngagementTemplate/${row.id}`,
        detail: {
          key: row.key,
          channel: row.channel,
          language: row.language,
          version: row.version,
          warnings: findings.map((f) => f.code),
        },
      });
      return row;
    });
    templatesChanged(scope.tenantId);
    return { template: saved, findings };
  }

  @Query(() => EngagementMessagePreview, {
    description:
      "A template filled with one patient's data (their next appointment, or a sample one), as it would be sent on the channel in their language (or `language`); nothing is sent.",
  })
  async previewEngagementMessage(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('templateKey', () => String) templateKey: string,
    @Arg('channel', () => String) channel: string,
    @Ctx() request: unknown,
    @Arg('language', () => String, { nullable: true }) language?: string,
  ): Promise<EngagementMessagePreview> {
    if (!isEntityId(patientId))
      throw PluginRequestError.badInput(['patientId'], 'must be an id returned by this API');
    if (!PREVIEW_CHANNELS.includes(channel as TemplateChannel))
      throw PluginRequestError.badInput(['channel'], `one of ${PREVIEW_CHANNELS.join(', ')}`);
    const { config } = this.plugin;
    const scope = this.plugin.asCaller(request);
    const em = scope.em.fork() as EntityManager;
    const patient = await em.findOne(Patient, patientId);
    if (!patient) throw PluginRequestError.notFound('Patient', patientId);
    const templates = await tenantTemplates(em);
    let template: MessageTemplate;
    try {
      template = selectTemplate(templates, {
        key: templateKey,
        channel: channel as TemplateChannel,
        preferredLanguage: language ?? patient.preferredLanguage,
        tenantDefaultLanguage: config.defaultLanguage,
      });
    } catch (error) {
      if (error instanceof TemplateError && error.code === TemplateErrorCode.NOT_FOUND)
        throw PluginRequestError.badInput(['templateKey'], error.message);
      throw error;
    }
    const upcoming = await em.findOne(
      Appointment,
      {
        patient: patientId,
        start: { $gt: new Date() },
        status: { $in: [AppointmentStatus.BOOKED, AppointmentStatus.PENDING] },
      },
      { orderBy: { start: 'asc' }, populate: ['practitioner'] },
    );
    const tomorrow = new Date(Date.now() + 24 * HOUR);
    const appointment: RenderModelInput['appointment'] = upcoming ?? {
      start: tomorrow,
      end: new Date(tomorrow.getTime() + HOUR / 2),
      location: config.practice.name,
    };
    await scope.write(async (w) =>
      w.audit({
        action: 'R',
        type: 'EngagementMessagePreview',
        entity: `Patient/${patientId}`,
        patientId,
        detail: { templateKey, channel, language: template.language, version: template.version },
      }),
    );
    const model = buildRenderModel({
      patient: language ? { ...patientFields(patient), preferredLanguage: language } : patient,
      appointment,
      practice: {
        ...config.practice,
        defaultLanguage: config.defaultLanguage,
        defaultTimeZone: config.defaultTimeZone,
      },
      links: messageLinks(config.portalUrl, upcoming?.id ?? 'sample'),
    });
    const result = (() => {
      try {
        return previewTemplate(template, model);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        const finding: TemplateFinding = {
          code: error.code,
          severity: 'error',
          part: 'text',
          message: error.message,
          source: 'rendered',
        };
        return { findings: [finding] };
      }
    })();
    const rendered = 'rendered' in result ? result.rendered : undefined;
    const sms = 'sms' in result ? result.sms : undefined;
    return {
      templateKey,
      templateChannel: template.channel,
      language: template.language,
      version: template.version,
      builtIn: DEFAULT_TEMPLATES.includes(template),
      subject: rendered?.subject,
      text: rendered?.text,
      html: rendered?.html,
      smsEncoding: sms?.encoding,
      smsSegments: sms?.segments,
      sampleAppointment: !upcoming,
      findings: result.findings,
    };
  }
}

/** The fields the render model reads, as a plain object (so a language can be put over them). */
function patientFields(patient: Patient): RenderModelInput['patient'] {
  return {
    names: patient.names,
    name: () => patient.name(),
    preferredLanguage: patient.preferredLanguage,
    timeZone: patient.timeZone,
  };
}

/** BAD_USER_INPUT naming each field an error finding is about (`input.text`, `input.key`…). */
function invalidTemplate(errors: readonly TemplateFinding[]): PluginRequestError {
  const first = errors[0]!;
  return new PluginRequestError(
    'BAD_USER_INPUT',
    `Invalid input: input.${first.part}: ${first.message}`,
    {
      invalidFields: errors.map((f) => ({ path: ['input', f.part], message: f.message })),
      findings: errors.map((f) => ({ code: f.code, part: f.part, start: f.start, end: f.end })),
    },
  );
}
