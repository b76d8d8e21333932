/** The HL7 v2 adapter's public surface (filled in by its modules). */
export const HL7V2_ADAPTER_ID = 'hl7v2';
