// Applies the @nestjs/swagger CLI plugin under ts-jest, as `nest build` does (nest-cli.json), so e2e
// tests see the same OpenAPI document as the built app.
const transformer = require('@nestjs/swagger/plugin');
const options = require('../../nest-cli.json').compilerOptions.plugins.find(
  (p) => p.name === '@nestjs/swagger',
).options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (cs) => transformer.before(options, cs.program);
