/**
 * Jest runs the TypeScript sources through ts-jest (it emits decorator metadata, unlike esbuild).
 * Every suite runs on embedded PGlite; when CAREGRAPH_TEST_DATABASE_URL is set (.ci/run sets it),
 * the database suites (`*.int.test.ts`) run a second time on that PostgreSQL server.
 */
const postgresUrl = process.env.CAREGRAPH_TEST_DATABASE_URL;

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: [
    '<rootDir>/schema/src',
    '<rootDir>/plugins/sdk/src',
    '<rootDir>/core/src',
    '<rootDir>/plugins/engagement/src',
    '<rootDir>/adapters/hl7v2/src',
    '<rootDir>/examples/vendor-plugin/src',
    '<rootDir>/test',
  ],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: '<rootDir>/tsconfig.test.json',
        diagnostics: { ignoreCodes: [151002] },
      },
    ],
  },
};

const projects = [
  {
    ...shared,
    displayName: 'pglite',
    testMatch: ['**/*.test.ts'],
    // `*.pg.int.test.ts`: suites of several processes on one database, PostgreSQL only.
    testPathIgnorePatterns: ['/node_modules/', '\\.pg\\.int\\.test\\.ts$'],
    setupFiles: ['reflect-metadata', '<rootDir>/test/setup/pglite-env.cjs'],
  },
];
if (postgresUrl) {
  projects.push({
    ...shared,
    displayName: 'postgres',
    testMatch: ['**/*.int.test.ts'],
    setupFiles: ['reflect-metadata', '<rootDir>/test/setup/postgres-env.cjs'],
  });
}

export default {
  projects,
  // One migrated PGlite image for the run: suites start their databases from it.
  globalSetup: '<rootDir>/test/setup/pglite-image.mjs',
  globalTeardown: '<rootDir>/test/setup/pglite-image-teardown.mjs',
  testTimeout: 60_000,
  maxWorkers: 2,
  // Each suite boots hubs (WASM PostgreSQL, schema, caches): a worker past this much memory
  // after a suite is replaced rather than carried into the next one until it runs out.
  workerIdleMemoryLimit: '1.5GB',
};
