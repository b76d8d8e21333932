import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { Hl7Error } from './hl7-error.js';

/** The fixtures folder (copied from the project corpus; see fixtures/SOURCES.md). */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The fixture file names. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.hl7'))
    .sort();
}

/** A fixture's bytes. */
export function fixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

/** Runs `run`, expecting it to throw an {@link Hl7Error}; returns the error. */
export function catchHl7(run: () => unknown): Hl7Error {
  try {
    run();
  } catch (e) {
    if (e instanceof Hl7Error) return e;
    throw e;
  }
  throw new Error('expected an Hl7Error, nothing was thrown');
}
