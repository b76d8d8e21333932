import type { MessagePurpose, MessageTemplate } from './message-template.js';

/** The keys of the templates every tenant starts with. */
export const DEFAULT_TEMPLATE_KEYS = [
  'appointment-reminder',
  'appointment-confirmation',
  'no-show-follow-up',
  'post-visit-survey',
  'lab-result-available',
  'refill-due',
  'adherence-check-in',
  'care-gap',
  'care-plan-update',
] as const;
export type DefaultTemplateKey = (typeof DEFAULT_TEMPLATE_KEYS)[number];

/**
 * One message in one language: a short SMS, and a subject and text for email and in-app. The
 * SMSes avoid characters outside GSM-7 (`á`, `ó`, `ú`…): one of them makes the whole SMS UCS-2,
 * 70 characters a segment instead of 160.
 */
interface Wording {
  sms: string;
  subject: string;
  text: string;
}

const PURPOSES: Record<DefaultTemplateKey, MessagePurpose> = {
  'appointment-reminder': 'care-reminders',
  'appointment-confirmation': 'care-reminders',
  'no-show-follow-up': 'care-reminders',
  // Asked about the visit just had: part of that care, not promotion.
  'post-visit-survey': 'care-reminders',
  'lab-result-available': 'care-reminders',
  'refill-due': 'care-reminders',
  'adherence-check-in': 'care-reminders',
  'care-gap': 'care-reminders',
  'care-plan-update': 'care-reminders',
};

const STOP_EN = 'Reply STOP to opt out.';
const STOP_ES = 'Responda STOP para darse de baja.';

const EN: Record<DefaultTemplateKey, Wording> = {
  'appointment-reminder': {
    sms: `{{practice.name}}: reminder of the appointment for {{patient.givenName}} on {{appointment.start}}. Questions? Call {{practice.phone}}. ${STOP_EN}`,
    subject: 'Appointment reminder from {{practice.name}}',
    text: 'Hi {{recipient.givenName}},\n\nThis is a reminder of the appointment for {{patient.givenName}} on {{appointment.start}} at {{practice.name}}.\n\nTo change it, call {{practice.phone}}.',
  },
  'appointment-confirmation': {
    sms: '{{practice.name}}: please confirm the appointment for {{patient.givenName}} on {{appointment.start}}. Reply C to confirm, R to reschedule, STOP to opt out.',
    subject: 'Please confirm an appointment at {{practice.name}}',
    text: 'Hi {{recipient.givenName}},\n\nPlease confirm the appointment for {{patient.givenName}} on {{appointment.start}}: {{links.confirm}}\n\nTo ask for another time: {{links.reschedule}}',
  },
  'no-show-follow-up': {
    sms: `{{practice.name}}: we missed {{patient.givenName}} at the appointment on {{appointment.date}}. Book a new time at {{links.book}} or call {{practice.phone}}. ${STOP_EN}`,
    subject: 'We missed you at {{practice.name}}',
    text: 'Hi {{recipient.givenName}},\n\nWe missed {{patient.givenName}} at the appointment on {{appointment.date}}. We would be glad to find a new time: {{links.book}} or call {{practice.phone}}.',
  },
  'post-visit-survey': {
    sms: `{{practice.name}}: how likely are you to recommend us to a friend? Reply with a number from 0 (not likely) to 10 (very likely), and a comment if you like. ${STOP_EN}`,
    subject: 'How was your visit to {{practice.name}}?',
    text: 'Hi {{recipient.givenName}},\n\nThank you for the visit to {{practice.name}}. On a scale from 0 (not at all likely) to 10 (extremely likely), how likely are you to recommend us to a friend or family member? Answer here: {{links.survey}}',
  },
  'lab-result-available': {
    sms: `{{practice.name}}: a new result for {{patient.givenName}} is available. Log in to the patient portal to see it: {{links.portal}} ${STOP_EN}`,
    subject: 'A new result is available',
    text: 'Hi {{recipient.givenName}},\n\nA new result for {{patient.givenName}} is available in the patient portal: {{links.portal}}\n\nQuestions? Call {{practice.phone}}.',
  },
  'refill-due': {
    sms: `{{practice.name}}: a prescription refill for {{patient.givenName}} is due soon. Call {{practice.phone}} or use the portal: {{links.portal}} ${STOP_EN}`,
    subject: 'A prescription refill is due',
    text: 'Hi {{recipient.givenName}},\n\nA prescription refill for {{patient.givenName}} is due soon. Request it in the patient portal: {{links.portal}} or call {{practice.phone}}.',
  },
  'adherence-check-in': {
    sms: `{{practice.name}}: checking in on how the prescribed treatment for {{patient.givenName}} is going. Questions or trouble keeping up with it? Call {{practice.phone}} or see {{links.portal}} ${STOP_EN}`,
    subject: 'Checking in from {{practice.name}}',
    text: 'Hi {{recipient.givenName}},\n\nWe are checking in on how the prescribed treatment for {{patient.givenName}} is going. If there are questions, side effects or trouble keeping up with it, call {{practice.phone}} or write to us in the patient portal: {{links.portal}}',
  },
  'care-gap': {
    sms: `{{practice.name}}: {{patient.givenName}} may be due for a preventive care visit. Book at {{links.book}} or call {{practice.phone}}. ${STOP_EN}`,
    subject: 'Time for a check-up',
    text: 'Hi {{recipient.givenName}},\n\nOur records show that {{patient.givenName}} may be due for a preventive care visit. Book one here: {{links.book}} or call {{practice.phone}}.',
  },
  'care-plan-update': {
    sms: `{{practice.name}}: the care plan for {{patient.givenName}} has been updated. See it in the portal: {{links.portal}} ${STOP_EN}`,
    subject: 'A care plan was updated',
    text: 'Hi {{recipient.givenName}},\n\nThe care plan for {{patient.givenName}} at {{practice.name}} has been updated. See it in the patient portal: {{links.portal}}',
  },
};

const ES: Record<DefaultTemplateKey, Wording> = {
  'appointment-reminder': {
    sms: `{{practice.name}}: recordatorio de la cita de {{patient.givenName}} el {{appointment.start}}. ¿Preguntas? Llame al {{practice.phone}}. ${STOP_ES}`,
    subject: 'Recordatorio de cita de {{practice.name}}',
    text: 'Hola, {{recipient.givenName}}:\n\nLe recordamos la cita de {{patient.givenName}} el {{appointment.start}} en {{practice.name}}.\n\nPara cambiarla, llame al {{practice.phone}}.',
  },
  'appointment-confirmation': {
    sms: '{{practice.name}}: ¿confirma la cita de {{patient.givenName}} del {{appointment.start}}? Responda C para confirmar, R para cambiarla o STOP para darse de baja.',
    subject: 'Confirme una cita en {{practice.name}}',
    text: 'Hola, {{recipient.givenName}}:\n\nConfirme la cita de {{patient.givenName}} el {{appointment.start}}: {{links.confirm}}\n\nPara pedir otro horario: {{links.reschedule}}',
  },
  'no-show-follow-up': {
    sms: `{{practice.name}}: no vimos a {{patient.givenName}} en la cita del {{appointment.date}}. Reserve otra en {{links.book}} o llame al {{practice.phone}}. ${STOP_ES}`,
    subject: 'Lo echamos de menos en {{practice.name}}',
    text: 'Hola, {{recipient.givenName}}:\n\nNo vimos a {{patient.givenName}} en la cita del {{appointment.date}}. Con gusto buscamos otro horario: {{links.book}} o llame al {{practice.phone}}.',
  },
  'post-visit-survey': {
    sms: `{{practice.name}}: ¿qué tan probable es que nos recomiende a un amigo? Responda con un numero del 0 (nada probable) al 10 (muy probable) y, si quiere, un comentario. ${STOP_ES}`,
    subject: '¿Qué tal su visita a {{practice.name}}?',
    text: 'Hola, {{recipient.givenName}}:\n\nGracias por su visita a {{practice.name}}. Del 0 (nada probable) al 10 (muy probable), ¿qué tan probable es que nos recomiende a un amigo o familiar? Responda aquí: {{links.survey}}',
  },
  'lab-result-available': {
    sms: `{{practice.name}}: hay un nuevo resultado de {{patient.givenName}} disponible. Véalo en el portal del paciente: {{links.portal}} ${STOP_ES}`,
    subject: 'Hay un nuevo resultado disponible',
    text: 'Hola, {{recipient.givenName}}:\n\nHay un nuevo resultado de {{patient.givenName}} disponible en el portal del paciente: {{links.portal}}\n\n¿Preguntas? Llame al {{practice.phone}}.',
  },
  'refill-due': {
    sms: `{{practice.name}}: pronto toca renovar una receta de {{patient.givenName}}. Llame al {{practice.phone}} o use el portal: {{links.portal}} ${STOP_ES}`,
    subject: 'Toca renovar una receta',
    text: 'Hola, {{recipient.givenName}}:\n\nPronto toca renovar una receta de {{patient.givenName}}. Pídala en el portal del paciente: {{links.portal}} o llame al {{practice.phone}}.',
  },
  'adherence-check-in': {
    sms: `{{practice.name}}: queremos saber como va el tratamiento indicado a {{patient.givenName}}. ¿Dudas o dificultades para seguirlo? Llame al {{practice.phone}} o vea {{links.portal}} ${STOP_ES}`,
    subject: 'Seguimiento de {{practice.name}}',
    text: 'Hola, {{recipient.givenName}}:\n\nQueremos saber cómo va el tratamiento indicado a {{patient.givenName}}. Si tiene dudas, efectos secundarios o dificultades para seguirlo, llame al {{practice.phone}} o escríbanos en el portal del paciente: {{links.portal}}',
  },
  'care-gap': {
    sms: `{{practice.name}}: es posible que {{patient.givenName}} tenga pendiente una visita preventiva. Reserve en {{links.book}} o llame al {{practice.phone}}. ${STOP_ES}`,
    subject: 'Es momento de un chequeo',
    text: 'Hola, {{recipient.givenName}}:\n\nSegún nuestros registros, es posible que {{patient.givenName}} tenga pendiente una visita de atención preventiva. Reserve aquí: {{links.book}} o llame al {{practice.phone}}.',
  },
  'care-plan-update': {
    sms: `{{practice.name}}: se ha actualizado el plan de cuidado de {{patient.givenName}}. Véalo en el portal: {{links.portal}} ${STOP_ES}`,
    subject: 'Se actualizó un plan de cuidado',
    text: 'Hola, {{recipient.givenName}}:\n\nSe actualizó el plan de cuidado de {{patient.givenName}} en {{practice.name}}. Véalo en el portal del paciente: {{links.portal}}',
  },
};

/**
 * The HTML part of a default text: one paragraph per blank-line-separated block, each link
 * placeholder as an anchor. The default texts hold no `<`, `>` or `&`, so they need no escaping.
 */
function htmlOf(text: string): string {
  return text
    .split('\n\n')
    .map((paragraph) => {
      const linked = paragraph.replace(
        /\{\{links\.(\w+)\}\}/g,
        '<a href="{{links.$1}}">{{links.$1}}</a>',
      );
      return `<p>${linked}</p>`;
    })
    .join('\n');
}

function templatesOf(language: string, wordings: Record<DefaultTemplateKey, Wording>) {
  return DEFAULT_TEMPLATE_KEYS.flatMap((key): MessageTemplate[] => {
    const { sms, subject, text } = wordings[key];
    const common = { key, purpose: PURPOSES[key], language, version: 1 };
    return [
      { ...common, channel: 'sms', text: sms },
      { ...common, channel: 'any', subject, text, html: htmlOf(text) },
    ];
  });
}

/**
 * The template set every tenant starts with, in English and Spanish: for each key a short SMS
 * (with opt-out wording) and an any-channel template with subject, text and HTML for email and
 * in-app. Every one passes `validateTemplate` with no finding (tested).
 */
export const DEFAULT_TEMPLATES: readonly MessageTemplate[] = [
  ...templatesOf('en', EN),
  ...templatesOf('es', ES),
];
