/** The HL7 v2 adapter's public surface (filled in by its modules). */
export const HL7V2_ADAPTER_ID = 'hl7v2';
export { hl7v2 } from './plugin.js';
export type { Hl7v2Config, Hl7v2ConfigInput } from './config.js';
