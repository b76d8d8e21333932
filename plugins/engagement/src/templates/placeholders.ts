/**
 * The placeholders a template may use, and the parser that finds them. A name not on this
 * allow-list is refused when the template is saved and when it is rendered: nothing outside the
 * list can reach a message body.
 */
export const PLACEHOLDERS = {
  'recipient.givenName':
    'Given name of the person the message is addressed to: the patient, or the caregiver or proxy who receives it',
  'recipient.name': 'Full display name of the person the message is addressed to',
  'patient.givenName': 'Given name of the patient the message is about',
  'appointment.start':
    'Weekday, date and time of the appointment, in the recipient’s time zone and language',
  'appointment.date': 'Weekday and date of the appointment (recipient’s zone and language)',
  'appointment.time': 'Time of the appointment (recipient’s zone and language)',
  'appointment.location': 'Where the appointment takes place (the appointment’s location)',
  'appointment.practitionerName': 'Display name of the clinician seen, never their specialty',
  'practice.name': 'Name of the practice sending the message',
  'practice.phone': 'Phone number of the practice',
  'links.confirm': 'Link to confirm the appointment',
  'links.reschedule': 'Link to ask for another time',
  'links.book': 'Link to book an appointment',
  'links.join': 'Join link of a video visit',
  'links.survey': 'Link to the survey',
  'links.portal': 'Link to the patient portal (where results and care plans are shown)',
  'links.unsubscribe': 'Link to stop these messages',
} as const satisfies Record<string, string>;

/** A placeholder name on the allow-list. */
export type PlaceholderName = keyof typeof PLACEHOLDERS;

/** Whether `name` is on the allow-list. */
export function isAllowedPlaceholder(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** A piece of a parsed template body, with its UTF-16 offsets in the body. */
export type TemplateSegment =
  | { kind: 'literal'; text: string; start: number; end: number }
  | { kind: 'placeholder'; name: string; start: number; end: number }
  | { kind: 'malformed'; text: string; start: number; end: number };

const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*$/;

/**
 * Splits a body into literal text and `{{ name }}` placeholders (spaces inside the braces are
 * allowed). A `{{` without a closing `}}`, or braces around anything but a dotted name, is a
 * `malformed` segment, so that it is reported rather than sent as is.
 */
export function parseTemplateBody(body: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let position = 0;
  const literal = (end: number) => {
    if (end > position)
      segments.push({ kind: 'literal', text: body.slice(position, end), start: position, end });
  };
  for (;;) {
    const open = body.indexOf('{{', position);
    if (open < 0) break;
    literal(open);
    const close = body.indexOf('}}', open + 2);
    if (close < 0) {
      segments.push({ kind: 'malformed', text: body.slice(open), start: open, end: body.length });
      position = body.length;
      break;
    }
    const end = close + 2;
    const name = body.slice(open + 2, close).trim();
    segments.push(
      PLACEHOLDER_NAME.test(name)
        ? { kind: 'placeholder', name, start: open, end }
        : { kind: 'malformed', text: body.slice(open, end), start: open, end },
    );
    position = end;
  }
  literal(body.length);
  return segments;
}
