// Jest global setup: migrates one PGlite cluster for the whole run and leaves its image where
// every suite's in-memory database starts from (core/src/testing/pglite-image.ts). Needs the
// build (`npm test` runs `tsc -b` first).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { PGLITE_IMAGE_ENV, writePgliteImage } from '../../core/dist/testing/pglite-image.js';

export default async function setup() {
  const file = join(await mkdtemp(join(tmpdir(), 'caregraph-test-')), 'pglite-migrated.tar');
  await writePgliteImage(file);
  // Workers start after the global setup and inherit its environment.
  process.env[PGLITE_IMAGE_ENV] = file;
}
