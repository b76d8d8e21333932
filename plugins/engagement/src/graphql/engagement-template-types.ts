import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { EngagementTemplate } from '../store/engagement-template.js';

/** A problem found in a template (`TemplateFinding`): errors block saving, warnings are shown. */
@ObjectType('EngagementTemplateFinding')
export class TemplateFindingView {
  @Field(() => String, { description: 'Stable, e.g. PHI_SENSITIVE_TERM.' })
  code!: string;

  @Field(() => String, { description: 'error or warning.' })
  severity!: string;

  @Field(() => String, { description: 'subject, text, html, or a field such as key.' })
  part!: string;

  @Field(() => Int, { nullable: true, description: 'UTF-16 offset into the part.' })
  start?: number;

  @Field(() => Int, { nullable: true })
  end?: number;

  @Field(() => String)
  message!: string;

  @Field(() => String, { nullable: true })
  placeholder?: string;

  @Field(() => String, { nullable: true })
  term?: string;

  @Field(() => String, {
    nullable: true,
    description: 'template, or rendered (found in the preview output).',
  })
  source?: string;
}

/** A saved template version and the warnings its author should read. */
@ObjectType()
export class SaveEngagementTemplatePayload {
  @Field(() => EngagementTemplate)
  template!: EngagementTemplate;

  @Field(() => [TemplateFindingView], { description: 'Warnings (errors refuse the save).' })
  findings!: TemplateFindingView[];
}

/** The next version of a template (the first when key, channel and language are new). */
@InputType()
export class SaveEngagementTemplateInput {
  @Field(() => String)
  key!: string;

  @Field(() => String, { description: 'sms, email, in-app, or any.' })
  channel!: string;

  @Field(() => String, { description: 'BCP 47, e.g. es or es-MX.' })
  language!: string;

  @Field(() => String, { description: 'care-reminders, wellness or marketing.' })
  purpose!: string;

  @Field(() => String, { nullable: true })
  subject?: string;

  @Field(() => String)
  text!: string;

  @Field(() => String, { nullable: true })
  html?: string;
}

/** A message as it would be sent to one patient now (nothing is sent). */
@ObjectType()
export class EngagementMessagePreview {
  @Field(() => String)
  templateKey!: string;

  @Field(() => String, { description: 'The channel of the chosen template (or any).' })
  templateChannel!: string;

  @Field(() => String, { description: 'The language of the chosen template.' })
  language!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => Boolean, { description: 'A built-in template (the tenant has not written one).' })
  builtIn!: boolean;

  @Field(() => String, { nullable: true })
  subject?: string;

  @Field(() => String, { nullable: true, description: 'Absent when the template has errors.' })
  text?: string;

  @Field(() => String, { nullable: true })
  html?: string;

  @Field(() => String, { nullable: true, description: 'GSM-7 or UCS-2.' })
  smsEncoding?: string;

  @Field(() => Int, { nullable: true })
  smsSegments?: number;

  @Field(() => Boolean, {
    description:
      'The patient has no upcoming appointment: appointment placeholders show a sample one.',
  })
  sampleAppointment!: boolean;

  @Field(() => [TemplateFindingView])
  findings!: TemplateFindingView[];
}
