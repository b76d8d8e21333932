import { z } from 'zod';
import { RESTRICTED_CONFIDENTIALITY_LABELS, SENSITIVITY_LABELS } from '@caregraph/schema';
import type { DocumentDetailsRecord } from '../mappings/records.js';

/** A v3 Confidentiality label core restricts (`R`, `V`), or `null` for usual control. */
const confidentialityLabel = z.enum(RESTRICTED_CONFIDENTIALITY_LABELS as [string, ...string[]]);

/** A v3 sensitivity code core knows (`PSY`, `ETH`, `HIV`…; `schema/src/security/sensitivity.ts`). */
const sensitivityLabel = z
  .string()
  .transform((label) => label.toUpperCase())
  .pipe(z.enum(Object.keys(SENSITIVITY_LABELS) as [string, ...string[]]));

/**
 * TXA-18 (HL7 table 0272, and the v3 Confidentiality codes later versions send there) onto the
 * label core restricts. Table 0272: V very restricted, R restricted, U usual control (VR, RE, UC
 * in v2.3). v3: N normal, M moderate, L low (de-identified) are usual control here.
 */
export const DEFAULT_CONFIDENTIALITY_LABELS: Readonly<Record<string, string | null>> = {
  V: 'V',
  VR: 'V',
  R: 'R',
  RE: 'R',
  U: null,
  UC: null,
  N: null,
  M: null,
  L: null,
};

/**
 * TXA-2 (HL7 table 0270) onto sensitivity labels: the psychiatric consultation and history are
 * mental-health records. Site-specific types (a substance-use counselling note) are configured.
 */
export const DEFAULT_DOCUMENT_TYPE_LABELS: Readonly<Record<string, readonly string[]>> = {
  PC: ['PSY'],
  PH: ['PSY'],
};

/**
 * How a stored document's security labels are chosen (config `documentSensitivity`). Entries
 * are added to the defaults above, or replace one of the same code (`{ PC: [] }` drops one).
 */
export const documentSensitivitySchema = z.object({
  /** TXA-18 code → `R`, `V`, or `null` (usual control). */
  confidentiality: z.record(z.string().min(1), confidentialityLabel.nullable()).default({}),
  /** A TXA-18 code in neither map: deny by default, restricted unless configured otherwise. */
  unknownConfidentiality: confidentialityLabel.nullable().default('R'),
  /** TXA-2 code → sensitivity labels of core (`PSY`, `ETH`, `SUD`, `HIV`, `SEX`, `GDIS`…). */
  documentTypes: z.record(z.string().min(1), z.array(sensitivityLabel)).default({}),
});

/** The validated `documentSensitivity` config. */
export type DocumentSensitivityConfig = z.output<typeof documentSensitivitySchema>;

/** `key` in `configured`, else in `defaults`, comparing codes case-insensitively. */
function lookup<T>(
  code: string,
  configured: Readonly<Record<string, T>>,
  defaults: Readonly<Record<string, T>>,
): T | undefined {
  const upper = code.toUpperCase();
  for (const map of [configured, defaults])
    for (const [key, value] of Object.entries(map)) if (key.toUpperCase() === upper) return value;
  return undefined;
}

/**
 * The security labels a document carries in core's terms: the confidentiality label of TXA-18
 * (none when absent or usual control) and the sensitivity labels of its type (TXA-2), sorted.
 */
export function documentSecurityLabels(
  document: Pick<DocumentDetailsRecord, 'documentType' | 'confidentiality'>,
  config: DocumentSensitivityConfig,
): string[] {
  const labels = new Set<string>();
  if (document.confidentiality) {
    const label = lookup(
      document.confidentiality,
      config.confidentiality,
      DEFAULT_CONFIDENTIALITY_LABELS,
    );
    const chosen = label === undefined ? config.unknownConfidentiality : label;
    if (chosen) labels.add(chosen);
  }
  const type = document.documentType.code;
  const typeLabels = type
    ? lookup(type, config.documentTypes, DEFAULT_DOCUMENT_TYPE_LABELS)
    : undefined;
  for (const label of typeLabels ?? []) labels.add(label);
  return [...labels].sort();
}
