export * from './create-test-hub.js';
export * from './test-database.js';
