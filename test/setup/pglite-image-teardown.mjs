// Jest global teardown: removes the run's PGlite image (test/setup/pglite-image.mjs).
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGLITE_IMAGE_ENV } from '../../core/dist/testing/pglite-image.js';

export default async function teardown() {
  const file = process.env[PGLITE_IMAGE_ENV];
  if (file) await rm(dirname(file), { recursive: true, force: true });
}
