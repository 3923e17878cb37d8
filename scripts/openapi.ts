/**
 * Writes the OpenAPI document and the generated TypeScript client types, or checks that the
 * committed ones are up to date. Run through `node -r ./scripts/swagger-register.js` (the npm
 * scripts do; `types` needs no plugin) so that DTOs are read by the swagger CLI plugin, as in the built app.
 *
 *   write   openapi.json from the application's routes, then client/src/schema.d.ts from it
 *   types   client/src/schema.d.ts from the committed openapi.json
 *   check   both afresh, compared with the committed ones; exits 1 naming those that differ (the
 *           fresh copies are left in a temporary directory to diff against)
 *
 * The document is built from the Nest application without listening and without `init()`:
 * creating the application connects to PostgreSQL (DATABASE_URL, default the `postgres` database
 * on 127.0.0.1) and Redis (REDIS_URL) but reads and writes nothing. PUBLIC_URL is ignored, so the
 * committed document's server is the relative `/`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const DOCUMENT = 'openapi.json';
const TYPES = 'client/src/schema.d.ts';

async function documentText(): Promise<string> {
  // loaded here, so that `types` does not load the application
  const { createHttpApp } = await import('../src/app');
  const { buildOpenApiDocument } = await import('../src/common/openapi-document');
  const { HOOKHUB_VERSION } = await import('../src/common/version');
  const { loadConfig } = await import('../src/config/env');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
    QUEUE_PREFIX: `hookhub_openapi_${process.pid}`,
    APP_ROLE: 'api',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: undefined,
  });
  const app = await createHttpApp(config);
  try {
    return `${JSON.stringify(buildOpenApiDocument(app, { version: HOOKHUB_VERSION }), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

async function typesText(document: string): Promise<string> {
  // openapi-typescript's CommonJS build: `default` is the generator
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  // a field with a default may be left out of a request: not required in the types
  return astToString(
    await openapiTS(JSON.parse(document) as Parameters<typeof openapiTS>[0], { defaultNonNullable: false }),
  );
}

async function write(): Promise<void> {
  const document = await documentText();
  writeFileSync(join(ROOT, DOCUMENT), document);
  writeFileSync(join(ROOT, TYPES), await typesText(document));
  process.stdout.write(`wrote ${DOCUMENT} and ${TYPES}\n`);
}

async function types(): Promise<void> {
  writeFileSync(join(ROOT, TYPES), await typesText(readFileSync(join(ROOT, DOCUMENT), 'utf8')));
  process.stdout.write(`wrote ${TYPES} from ${DOCUMENT}\n`);
}

async function check(): Promise<boolean> {
  const document = await documentText();
  const fresh: Record<string, string> = { [DOCUMENT]: document, [TYPES]: await typesText(document) };
  const stale = Object.keys(fresh).filter((file) => readCommitted(file) !== fresh[file]);
  if (stale.length === 0) {
    process.stdout.write(`${DOCUMENT} and ${TYPES} are up to date\n`);
    return true;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hookhub-openapi-'));
  for (const file of stale) writeFileSync(join(dir, file.replace(/\//g, '_')), fresh[file]);
  process.stderr.write(
    `${stale.join(' and ')} ${stale.length === 1 ? 'is' : 'are'} out of date (the fresh copies are in ${dir}): ` +
      'run `npm run openapi:generate` and commit the result.\n',
  );
  return false;
}

function readCommitted(file: string): string | null {
  try {
    return readFileSync(join(ROOT, file), 'utf8');
  } catch {
    return null;
  }
}

async function main(command: string | undefined): Promise<void> {
  if (command === 'write') return write();
  if (command === 'types') return types();
  if (command === 'check') {
    if (!(await check())) process.exitCode = 1;
    return;
  }
  process.stderr.write('usage: scripts/openapi.ts write | types | check\n');
  process.exitCode = 2;
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
