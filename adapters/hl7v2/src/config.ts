import { z } from 'zod';
import { documentSensitivitySchema } from './apply/document-labels.js';
import type { SenderHooks } from './mappings/hooks.js';
import { outboundSchema } from './outbound/outbound-config.js';

/** TLS of the MLLP listener: PEM files; `requestCert` asks senders for a client certificate (mutual TLS). */
const tlsSchema = z.object({
  keyFile: z.string().min(1),
  certFile: z.string().min(1),
  caFile: z.string().min(1).optional(),
  requestCert: z.boolean().default(false),
});

/** The MLLP listener. */
const listenSchema = z.object({
  /** Interface to bind. Default loopback: a hospital network listener must be asked for (`0.0.0.0`). */
  host: z.string().default('127.0.0.1'),
  /** TCP port; 2575 is the registered HL7 port. 0 picks a free one (tests). */
  port: z.number().int().min(0).max(65535).default(2575),
  tls: tlsSchema.optional(),
  /** Larger messages are answered with an AR NAK (and stored in the error queue). */
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** An idle connection is closed after this long; 0 keeps it. */
  idleTimeoutSeconds: z.number().int().min(0).default(300),
  maxConnections: z.number().int().min(1).default(200),
});

/** The watched folder: files dropped there are imported like `caregraph hl7 import`. */
const watchSchema = z.object({
  /** The folder to poll (its subfolders are not read). */
  dir: z.string().min(1),
  /** Seconds between polls; a file is imported once its size is unchanged across two polls. */
  intervalSeconds: z.number().positive().default(5),
  /** Where imported files go (default `<dir>/done`). */
  doneDir: z.string().min(1).optional(),
  /** Where files with a failed message, or no message, go (default `<dir>/error`). */
  errorDir: z.string().min(1).optional(),
});

/** The periodic sweep of messages stored but not applied (`src/store/recover-received.ts`). */
const recoverySchema = z.object({
  /** Seconds between two sweeps. */
  intervalSeconds: z.number().min(0.1).max(86_400).default(60),
  /**
   * A message still `received` this long after it arrived counts as left behind by an instance
   * that died between storing and applying it (a live instance applies it in milliseconds).
   */
  orphanAgeSeconds: z.number().min(0).max(86_400).default(30),
});

/**
 * The HL7 v2 adapter's configuration (`withConfig(hl7v2, {...})`). Only the tenant and the
 * integration account it acts as are required.
 */
export const hl7v2ConfigSchema = z
  .object({
    /** The tenant the feed belongs to. */
    tenantId: z.uuid(),
    /** The integration account the adapter acts as (authorised and audited as this user). */
    integrationUserId: z.uuid(),
    /** The MLLP listener; `false` runs no listener (file import only). */
    listen: z.union([listenSchema, z.literal(false)]).default(listenSchema.parse({})),
    /** A watched folder of HL7 files (default: none). */
    watch: watchSchema.optional(),
    /** How the hub names itself in ACKs (MSH-3/MSH-4). */
    application: z.string().min(1).default('CAREGRAPH'),
    facility: z.string().min(1).optional(),
    /**
     * MSH-5 values the hub accepts; a message for another receiving application is rejected (AR).
     * Empty: any.
     */
    receivingApplications: z.array(z.string().min(1)).default([]),
    /** MSH-11 processing ids accepted (P production, T training, D debugging). */
    processingIds: z.array(z.enum(['P', 'T', 'D'])).default(['P', 'T', 'D']),
    /** Time zone of HL7 times that carry no offset (IANA name). */
    defaultTimeZone: z.string().min(1).default('UTC'),
    /**
     * Per-sender mapping overrides (see the README, "Mappings"): keyed by `MSH-3^MSH-4`, `MSH-3`
     * or `*`; functions, so they are given in code (`withConfig`), not in a JSON file.
     */
    hooks: z
      .record(
        z.string(),
        z.custom<SenderHooks>((value) => typeof value === 'object' && value !== null),
      )
      .default({}),
    /** Processed, duplicate, not-mapped and ignored messages older than this are pruned (days). */
    retentionDays: z.number().int().min(1).default(90),
    /** The periodic sweep that applies messages an instance stored but did not apply. */
    recovery: recoverySchema.default(recoverySchema.parse({})),
    /** Downstream systems sent an SIU over MLLP when an appointment changes (README, "Outbound"). */
    outbound: outboundSchema,
    /**
     * Per sender (keys as `hooks`: `MSH-3^MSH-4`, `MSH-3` or `*`), the `outbound` destination that
     * gets an enhanced-mode application ACK the sender's own connection could not take (it was
     * gone, or the message was applied by the restart recovery or the sweep). Without one, the
     * message is marked `applicationAckDelivery: UNDELIVERED`.
     */
    applicationAckDestinations: z.record(z.string().min(1), z.string().min(1)).default({}),
    /**
     * The security labels of MDM documents, from TXA-18 and TXA-2 (README, "Documents (MDM)"):
     * restricted documents are withheld as core withholds its own sensitive records.
     */
    documentSensitivity: documentSensitivitySchema.default(documentSensitivitySchema.parse({})),
  })
  .superRefine((config, ctx) => {
    const names = new Set(config.outbound.map((destination) => destination.name));
    for (const [sender, name] of Object.entries(config.applicationAckDestinations))
      if (!names.has(name))
        ctx.addIssue({
          code: 'custom',
          message: `"${name}" is not an outbound destination: add it to "outbound" or name one that is there`,
          path: ['applicationAckDestinations', sender],
        });
  });

/** What `withConfig(hl7v2, ...)` accepts. */
export type Hl7v2ConfigInput = z.input<typeof hl7v2ConfigSchema>;
/** The validated configuration (`ctx.config`). */
export type Hl7v2Config = z.output<typeof hl7v2ConfigSchema>;
