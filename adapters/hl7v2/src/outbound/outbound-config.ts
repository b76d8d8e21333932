import { CareEventType } from '@caregraph/schema';
import { z } from 'zod';

/** The care events that trigger an SIU, and the trigger each one maps to (see the README). */
export const SIU_EVENT_TYPES = [
  CareEventType.APPOINTMENT_BOOKED,
  CareEventType.APPOINTMENT_RESCHEDULED,
  CareEventType.APPOINTMENT_CANCELLED,
  CareEventType.APPOINTMENT_NO_SHOW,
] as const;

/** The name of an SIU event as written in a config (`'AppointmentBooked'`). */
export type SiuEventName = `${(typeof SIU_EVENT_TYPES)[number]}`;
const SIU_EVENT_NAMES = SIU_EVENT_TYPES.map(String) as [SiuEventName, ...SiuEventName[]];

/** TLS towards a destination: PEM files; `caFile` to trust its certificate, `certFile`/`keyFile` for mutual TLS. */
const outboundTlsSchema = z
  .object({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    /** The name the server's certificate must carry (SNI), when it is not `host`. */
    servername: z.string().min(1).optional(),
  })
  .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
    message: 'certFile and keyFile go together (mutual TLS)',
    path: ['keyFile'],
  });

/** One downstream system the hub sends HL7 to over MLLP. */
export const outboundDestinationSchema = z.object({
  /** Names the destination in the store, in metrics and in the API; unique. */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1-64 letters, digits, ".", "_" or "-"'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** Connect with TLS; plain TCP when absent (loopback or a VPN only). */
  tls: outboundTlsSchema.optional(),
  /** How long to wait for the ACK of a message before the attempt counts as failed. */
  ackTimeoutSeconds: z.number().min(0.1).max(600).default(30),
  /** Attempts (timeouts, connection failures) before a message goes to the error queue. */
  maxAttempts: z.number().int().min(1).max(100).default(10),
  /**
   * The care events that produce an SIU to this destination (default: every appointment event);
   * `[]` for a destination that only takes application ACKs (`applicationAckDestinations`).
   */
  events: z.array(z.enum(SIU_EVENT_NAMES)).default([...SIU_EVENT_NAMES]),
  /** MSH-5 of the SIU messages (an application ACK is addressed to the message's sender). */
  receivingApplication: z.string().min(1),
  /** MSH-6 of the messages. */
  receivingFacility: z.string().min(1).optional(),
});

/** The outbound destinations; names must be unique. */
export const outboundSchema = z
  .array(outboundDestinationSchema)
  .default([])
  .superRefine((destinations, ctx) => {
    const seen = new Set<string>();
    destinations.forEach((destination, index) => {
      if (seen.has(destination.name))
        ctx.addIssue({
          code: 'custom',
          message: `destination name "${destination.name}" is used twice`,
          path: [index, 'name'],
        });
      seen.add(destination.name);
    });
  });

/** A destination as configured (defaults applied). */
export type OutboundDestination = z.output<typeof outboundDestinationSchema>;
