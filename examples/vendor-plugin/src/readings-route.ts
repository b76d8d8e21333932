import { CareEventType, ObservationCategory } from '@caregraph/schema';
import type {
  PluginContext,
  PluginHttpResponse,
  PluginRoute,
  TenantScope,
} from '@caregraph/plugin-sdk';
import { isAlarming, type WearableConfig } from './config.js';
import { MEASUREMENTS, parseReadings, type Reading } from './reading.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';

/** What the route answers for a stored batch. */
export interface ReadingsReceipt {
  stored: number;
  duplicates: number;
  alerts: number;
}

function refuse(status: number, code: string, message: string): PluginHttpResponse {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

async function store(
  scope: TenantScope,
  config: WearableConfig,
  patientIds: string[],
  readings: Reading[],
) {
  const receipt: ReadingsReceipt = { stored: 0, duplicates: 0, alerts: 0 };
  for (const [i, reading] of readings.entries()) {
    const alarming = isAlarming(config, reading.code, reading.value);
    // The alert commits with the new reading (a crash in between cannot keep one without the
    // other); a vendor's retry of a stored reading is a duplicate and stays quiet.
    const { created } = await scope.observations.record(
      {
        patientId: patientIds[i]!,
        category: ObservationCategory.DEVICE,
        code: {
          system: 'http://loinc.org',
          code: reading.code,
          display: MEASUREMENTS[reading.code]!.display,
        },
        valueQuantity: reading.value,
        unit: reading.unit,
        effectiveAt: new Date(reading.time),
      },
      {
        eventsWhenCreated: (observation) =>
          alarming
            ? [
                {
                  type: CareEventType.DEVICE_ALERT,
                  patientId: observation.patient.id,
                  summary: `Device alert: ${MEASUREMENTS[reading.code]!.display}`,
                  subject: { type: 'Observation', id: observation.id },
                },
              ]
            : [],
      },
    );
    if (!created) {
      receipt.duplicates += 1;
      continue;
    }
    receipt.stored += 1;
    if (alarming) receipt.alerts += 1;
  }
  return receipt;
}

/**
 * `POST /plugins/<id>/readings`: a signed batch of readings from the vendor. 401 without a valid
 * signature, 400 naming the first malformed field, 422 when a patient is unknown (nothing is
 * stored then), 200 with a receipt otherwise.
 */
export const readingsRoute: PluginRoute = {
  method: 'POST',
  path: '/readings',
  bodyLimitBytes: 256 * 1024,
  async handler(request, ctx) {
    const { config } = ctx as PluginContext<WearableConfig>;
    if (!verifySignature(request.rawBody, request.headers[SIGNATURE_HEADER], config.secret))
      return refuse(401, 'UNAUTHENTICATED', `Missing or invalid ${SIGNATURE_HEADER} header.`);
    const parsed = parseReadings(request.body);
    if ('error' in parsed) return refuse(400, 'BAD_REQUEST', parsed.error);
    const actAs = { tenantId: config.tenantId, userId: config.integrationUserId };
    return ctx.inTenant(actAs, async (scope) => {
      const patientIds: string[] = [];
      for (const [i, { patient }] of parsed.readings.entries()) {
        const found = await scope.patients.findByIdentifier(patient.system, patient.value);
        if (!found)
          return refuse(
            422,
            'NOT_FOUND',
            `readings[${i}].patient: no patient has this identifier.`,
          );
        patientIds.push(found.id);
      }
      const receipt = await store(scope, config, patientIds, parsed.readings);
      ctx.metrics.increment('readings_stored', receipt.stored);
      return { status: 200, body: receipt };
    });
  },
};
