import { Appointment, connectionOf, isEntityId, Patient } from '@caregraph/schema';
import {
  keysetPage,
  Paged,
  PluginRequestError,
  type PluginContext,
  type TenantScope,
} from '@caregraph/plugin-sdk';
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { EngagementConfig } from '../config.js';
import { SurveyResponse } from '../store/survey-response.js';
import { npsSummary } from '../surveys/nps-summary.js';
import { recordSurveyResponse } from '../surveys/record-survey-response.js';
import { parseSurveyResponseInput } from '../surveys/survey-response-input.js';
import { RecordSurveyResponseInput, SurveySummary } from './survey-response-types.js';

const SurveyResponseConnection = connectionOf(SurveyResponse);

@ArgsType()
class PatientSurveyArgs {
  @Field(() => ID)
  patientId!: string;
}

@ArgsType()
class PatientSurveyPageArgs extends Paged(PatientSurveyArgs) {}

/** Audits the reads of survey answers (ids only), in a transaction of their own. */
async function auditReads(scope: TenantScope, patientId: string, entities: string[], type: string) {
  if (entities.length === 0) return;
  await scope.write(async (w) => {
    for (const entity of entities) w.audit({ action: 'R', type, entity, patientId });
  });
}

/**
 * Post-visit survey answers over GraphQL, under core's rules for the patient's communications
 * (a role that grants reading them and a care relationship: care team, self, proxy), every read
 * and write audited.
 */
@Resolver(() => SurveyResponse)
export class SurveyResponseResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => SurveyResponseConnection, {
    description: "A patient's post-visit survey answers, newest first.",
  })
  async surveyResponses(@Args() args: PatientSurveyPageArgs, @Ctx() request: unknown) {
    if (!isEntityId(args.patientId))
      throw PluginRequestError.badInput(['patientId'], 'must be an id returned by this API');
    const scope = this.plugin.asCaller(request);
    const page = await keysetPage(
      scope,
      SurveyResponse,
      'receivedAt',
      { patientId: args.patientId },
      { ...args, order: 'desc' },
    );
    const ids = page.edges.map((e) => `SurveyResponse/${e.node.id}`);
    await auditReads(scope, args.patientId, ids, 'SurveyResponse');
    return page;
  }

  @Mutation(() => SurveyResponse, {
    description:
      'Records a survey answer (0 to 10, an optional comment) a patient gave by phone, in person or in the portal; one per appointment.',
  })
  async recordSurveyResponse(
    @Arg('input', () => RecordSurveyResponseInput) input: RecordSurveyResponseInput,
    @Ctx() request: unknown,
  ): Promise<SurveyResponse> {
    const parsed = parseSurveyResponseInput({ ...input });
    if (!parsed.ok) throw PluginRequestError.badInput(parsed.path, parsed.message);
    const { patientId, appointmentId, score, comment, channel } = parsed.value;
    const scope = this.plugin.asCaller(request);
    if (
      appointmentId &&
      !(await scope.em.fork().count(Appointment, { id: appointmentId, patient: patientId }))
    )
      throw PluginRequestError.badInput(
        ['input', 'appointmentId'],
        "is not one of the patient's appointments",
      );
    const stored = await scope.write((w) =>
      recordSurveyResponse(w, scope.tenantId, {
        patientId,
        appointmentId: appointmentId ?? undefined,
        score,
        comment,
        channel,
        enteredByUserId: scope.actorUserId,
        receivedAt: new Date(),
      }),
    );
    if (!stored)
      throw new PluginRequestError('CONFLICT', 'This appointment already has a survey response.');
    return stored;
  }
}

/**
 * `Patient.surveySummary`: the NPS of the patient's answers, for a caller who may read the
 * patient's communications (null otherwise: the field is on a type they may otherwise see).
 */
@Resolver(() => Patient)
export class PatientSurveySummaryResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @FieldResolver(() => SurveySummary, {
    nullable: true,
    description:
      "The Net Promoter summary of the patient's post-visit survey answers (engagement plugin).",
  })
  async surveySummary(@Root() patient: Patient, @Ctx() request: unknown) {
    const scope = this.plugin.asCaller(request);
    if (!(await scope.mayRead(patient.id, 'communications'))) return null;
    const rows = await scope.em
      .fork()
      .find(SurveyResponse, { patientId: patient.id }, { fields: ['score'] });
    await auditReads(scope, patient.id, [`Patient/${patient.id}`], 'SurveySummary');
    return npsSummary(rows.map((r) => r.score));
  }
}
