import type { RenderLinks } from '../templates/index.js';

/**
 * The `{{links.*}}` of a message, made from the portal's URL: the portal itself, booking, the
 * survey (for an appointment, the survey about that visit), and for an appointment its confirm
 * and reschedule pages (the portal authenticates the
 * patient; the links carry ids only, never PHI).
 */
export function messageLinks(portalUrl: string, appointmentId?: string): RenderLinks {
  const base = portalUrl.replace(/\/+$/, '');
  return {
    portal: base,
    book: `${base}/book`,
    survey: `${base}/survey`,
    ...(appointmentId
      ? {
          confirm: `${base}/appointments/${appointmentId}/confirm`,
          reschedule: `${base}/appointments/${appointmentId}/reschedule`,
          survey: `${base}/appointments/${appointmentId}/survey`,
        }
      : {}),
  };
}
