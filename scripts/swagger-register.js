// Registers ts-node with the @nestjs/swagger CLI plugin, as `nest build` (nest-cli.json) and the e2e
// tests (test/helpers/swagger-transformer.js) apply it, so that a script sees the same OpenAPI document
// as the built app: `node -r ./scripts/swagger-register.js scripts/openapi.ts`.
const path = require('node:path');
const plugin = require('@nestjs/swagger/plugin');
const options = require('../nest-cli.json').compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;

require('ts-node').register({
  project: path.join(__dirname, '..', 'tsconfig.json'),
  transformers: (program) => ({ before: [plugin.before(options, program)] }),
});
