import { z } from 'zod';
import { LOINC_CODE } from './config.js';

/** LOINC codes this adapter understands, with their display names and UCUM units. */
export const MEASUREMENTS: Readonly<Record<string, { display: string; unit: string }>> = {
  '8867-4': { display: 'Heart rate', unit: '/min' },
  '59408-5': { display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%' },
};

const reading = z.object({
  deviceId: z.string().min(1).max(200),
  patient: z.object({ system: z.string().min(1), value: z.string().min(1) }),
  code: LOINC_CODE.refine((code) => code in MEASUREMENTS, 'unsupported LOINC code'),
  value: z.number().finite(),
  unit: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
});

/** The vendor's webhook body: up to 100 readings. */
export const readingsBody = z.object({ readings: z.array(reading).min(1).max(100) });

/** One reading as the vendor sends it. */
export type Reading = z.output<typeof reading>;

/**
 * Parses the body, or says which field is wrong (`readings[0].value: …`). The message names the
 * field and what was expected, never the value sent: the body carries PHI.
 */
export function parseReadings(body: unknown): { readings: Reading[] } | { error: string } {
  const parsed = readingsBody.safeParse(body);
  if (parsed.success) {
    const wrongUnit = parsed.data.readings.findIndex((r) => r.unit !== MEASUREMENTS[r.code]!.unit);
    if (wrongUnit < 0) return parsed.data;
    const { code } = parsed.data.readings[wrongUnit]!;
    return {
      error: `readings[${wrongUnit}].unit: expected ${MEASUREMENTS[code]!.unit} for ${code}`,
    };
  }
  const issue = parsed.error.issues[0]!;
  const field = issue.path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
  return {
    error: `${field || 'body'}: ${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message}`,
  };
}
