import { IsIn, IsOptional, IsUrl, Length, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { AppointmentStatus, RequestPriority } from '../enums/workflow.js';
import {
  CommunicationChannel,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
} from '../enums/engagement.js';
import { CodedConceptInput, IsEntityId } from './common-inputs.js';
import { SENSITIVITY_LABELS } from '../security/sensitivity.js';

/** A new appointment. The practitioner's time must be free (no overlapping booking). */
@InputType()
export class BookAppointmentInput {
  @Field(() => ID)
  @IsEntityId()
  patientId!: string;

  @Field(() => ID)
  @IsEntityId()
  practitionerId!: string;

  @Field(() => Date)
  start!: Date;

  @Field(() => Date)
  end!: Date;

  @Field(() => AppointmentStatus, {
    nullable: true,
    description: 'BOOKED (default), PENDING or PROPOSED.',
  })
  status?: AppointmentStatus;

  @Field(() => CodedConceptInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  serviceType?: CodedConceptInput;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  location?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl(
    { protocols: ['https'], require_protocol: true },
    { message: 'telehealthUrl must be an https URL' },
  )
  telehealthUrl?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string;
}

/** The new time of an appointment (same practitioner, whose time must be free). */
@InputType()
export class RescheduleAppointmentInput {
  @Field(() => Date)
  start!: Date;

  @Field(() => Date)
  end!: Date;
}

/** A practitioner joining a care team. */
@InputType()
export class AddCareTeamMemberInput {
  @Field(() => ID)
  @IsEntityId()
  careTeamId!: string;

  @Field(() => ID)
  @IsEntityId()
  practitionerId!: string;

  @Field(() => CodedConceptInput, {
    description: 'Role on the team, e.g. SNOMED CT 224535009 Registered nurse.',
  })
  @ValidateNested()
  role!: CodedConceptInput;

  @Field(() => Date, { nullable: true, description: 'Defaults to now.' })
  periodStart?: Date;
}

/** A new task about a patient. */
@InputType()
export class CreateTaskInput {
  @Field(() => ID)
  @IsEntityId()
  patientId!: string;

  @Field(() => String)
  @Length(1, 200)
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  description?: string;

  @Field(() => RequestPriority, { nullable: true })
  priority?: RequestPriority;

  @Field(() => Date, { nullable: true })
  dueAt?: Date;

  @Field(() => ID, { nullable: true, description: 'Practitioner who must do it.' })
  @IsOptional()
  @IsEntityId()
  ownerPractitionerId?: string;

  @Field(() => ID, { nullable: true, description: 'Care team that must do it.' })
  @IsOptional()
  @IsEntityId()
  ownerCareTeamId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsEntityId()
  carePlanId?: string;
}

/** A consent the patient gave or refused. */
@InputType()
export class RecordConsentInput {
  @Field(() => ID)
  @IsEntityId()
  patientId!: string;

  @Field(() => ConsentScope)
  scope!: ConsentScope;

  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field(() => ConsentDecision, { nullable: true, description: 'PERMIT (default) or DENY.' })
  decision?: ConsentDecision;

  @Field(() => CommunicationChannel, { nullable: true })
  channel?: CommunicationChannel;

  @Field(() => ID, { nullable: true, description: 'Related person granted proxy access.' })
  @IsOptional()
  @IsEntityId()
  granteeRelatedPersonId?: string;

  @Field(() => Date, { nullable: true })
  periodStart?: Date;

  @Field(() => Date, { nullable: true })
  periodEnd?: Date;

  @Field(() => String, { description: 'How it was captured: form id, verbal, portal…' })
  @Length(1, 200)
  source!: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Sensitivity codes the consent is limited to (PSY, ETH, HIV…): with scope PATIENT_PRIVACY, a PERMIT shares and a DENY withholds records so labelled.',
  })
  @IsOptional()
  @IsIn(Object.keys(SENSITIVITY_LABELS), {
    each: true,
    message: `each label must be one of ${Object.keys(SENSITIVITY_LABELS).join(', ')}`,
  })
  securityLabels?: string[];
}

/** Starts an emergency override on a patient outside the caller's care teams. */
@ArgsType()
export class BreakGlassArgs {
  @Field(() => ID)
  @IsEntityId()
  patientId!: string;

  @Field(() => String, { description: 'Why access is needed now (at least 10 characters).' })
  @Length(10, 1000)
  reason!: string;
}
