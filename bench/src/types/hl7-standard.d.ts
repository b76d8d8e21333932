/** The part of hl7-standard's API the benchmarks use (the package ships no types). */
declare module 'hl7-standard' {
  export default class HL7 {
    constructor(raw: string, options?: { lineEndings?: string });
    /** Parses `raw`; throws (or calls back with) an error for input that is not HL7. */
    transform(callback?: (error: Error | null) => void): void;
    /** A value by path, e.g. `MSH.10` or `PID.5.1`. */
    get(path: string): unknown;
  }
}
