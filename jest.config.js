/** Jest runs the TypeScript sources through ts-jest (it emits decorator metadata, unlike esbuild). */
const isRealDatabase = Boolean(process.env.CAREGRAPH_TEST_DATABASE_URL);

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/schema/src', '<rootDir>/core/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: isRealDatabase ? 60_000 : 30_000,
  maxWorkers: 2,
};
