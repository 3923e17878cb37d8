/**
 * Fault and attack specs (test/faults/*.fault-spec.ts): real processes, real PostgreSQL and Redis,
 * real peers on 127.0.0.1. The transform, global setup and teardown are the e2e project's own.
 */
const { projects } = require('./jest.config.js');

const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/*.fault-spec.ts'],
  testTimeout: 180000,
  verbose: true,
};
