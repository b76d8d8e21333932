export * from './create-test-hub.js';
export * from './test-database.js';
export * from './plugin-test-kit.js';
export * from './hub-process.js';
export * from './eventually.js';
export * from './subscription-client.js';
