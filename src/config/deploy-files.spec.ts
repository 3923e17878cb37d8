import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from './env';

/**
 * The Dockerfile and docker-compose.yml start what the docs promise: Node 22 LTS, an api and a worker
 * beside PostgreSQL and Redis, `.env` passed through, and settings the app accepts at start-up.
 * (No Docker engine runs here: the files are read, not run.)
 */
const ROOT = join(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: unknown;
  env_file?: { path: string; required?: boolean }[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  expose?: string[];
}

const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** A compose value with `${NAME:?message}` replaced by a value the app accepts. */
function resolved(environment: Record<string, string>): Record<string, string> {
  const stand_in: Record<string, string> = {
    ADMIN_API_KEY: 'compose-admin-key-0123456789',
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+):\?[^}]*\}/g, (_m, variable: string) => stand_in[variable] ?? ''),
    ]),
  );
}

describe('Dockerfile', () => {
  it('builds and runs on Node.js 22 LTS', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-[a-z-]+$/m);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(['${NODE_IMAGE}', 'deps']).toContain(from);
  });

  it('runs as an unprivileged user with production settings', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production PORT=3000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/health/m);
  });
});

describe('docker-compose.yml', () => {
  const { services } = compose;

  it('runs an api and a worker beside PostgreSQL and Redis, started once both are healthy', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    expect(services.api.environment?.APP_ROLE).toBe('api');
    expect(services.worker.environment?.APP_ROLE).toBe('worker');
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    // the worker answers on METRICS_PORT only: its health check and the port Prometheus scrapes are that one
    expect(services.worker.environment?.METRICS_PORT).toBe('9464');
    expect(services.worker.expose).toEqual(['9464']);
    expect(services.worker.healthcheck?.test?.join(' ')).toContain("process.env.METRICS_PORT+'/health'");
  });

  it('passes an optional .env through to both Hookhub services', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].env_file).toEqual([{ path: '.env', required: false }]);
    }
  });

  it('gives each Hookhub service settings the app accepts in production', () => {
    for (const name of ['api', 'worker']) {
      const config = loadConfig(resolved(services[name].environment ?? {}));
      expect(config.nodeEnv).toBe('production');
      expect(config.role).toBe(name);
    }
  });
});
