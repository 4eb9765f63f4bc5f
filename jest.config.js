/** Jest runs the TypeScript sources through swc (fast, no type check: `npm run typecheck` does that).
 * d3-array and internmap ship only ES modules, so they are transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(d3-array|internmap)/)'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/temp-folder-setup.ts',
  globalTeardown: '<rootDir>/test/support/temp-folder-teardown.ts',
};
