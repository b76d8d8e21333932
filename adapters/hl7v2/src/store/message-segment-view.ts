import { Field, ObjectType } from 'type-graphql';

/** One segment of a stored message, split into its fields (values as sent, escapes kept). */
@ObjectType('Hl7SegmentView', {
  description: 'A segment of a stored HL7 message, split into fields.',
})
export class MessageSegmentView {
  @Field(() => String, { description: 'Segment id, e.g. PID.' })
  name!: string;

  @Field(() => [String], {
    description: 'Fields 1..n as sent (for MSH, field 1 is the field separator).',
  })
  fields!: string[];
}

/** Splits a stored message's text into segment views (MSH keeps MSH-1 as its first field). */
export function segmentViews(text: string): MessageSegmentView[] {
  const separator = text.startsWith('MSH') ? text.charAt(3) : '|';
  return text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.length >= 3)
    .map((line) => {
      const name = line.slice(0, 3);
      const rest = line.slice(4).split(separator);
      return { name, fields: name === 'MSH' ? [separator, ...rest] : rest };
    });
}
