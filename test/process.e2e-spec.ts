import { Client } from 'pg';
import { startMain } from './helpers/process';

/** The real entry point as `npm start` runs it: configuration, database creation, roles, SIGTERM. */
describe('Process lifecycle (e2e)', () => {
  const server = new URL(process.env.DATABASE_URL!);
  const dbName = `${server.pathname.slice(1)}_proc`;
  const databaseUrl = Object.assign(new URL(server.toString()), { pathname: `/${dbName}` }).toString();

  async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
    const url = new URL(server.toString());
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
  });

  it('stops at start-up with one line naming a bad variable', async () => {
    const proc = startMain({ DELIVERY_RETRY_SCHEDULE: 'soon', DATABASE_URL: databaseUrl });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output().trim()).toBe(
      'Invalid configuration: DELIVERY_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,5m,2h (got "soon")',
    );
  });

  it('creates a missing database, migrates it, serves, and shuts down on SIGTERM', async () => {
    const proc = startMain({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info', APP_ROLE: 'all' });
    await proc.waitFor(/Hookhub started: role=all/);
    const tables = await admin(async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      const res = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      await client.end();
      return res.rows.map((r) => r.name);
    });
    expect(tables.length).toBeGreaterThan(0);
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect({ ...exit, output: proc.output().slice(-2000) }).toMatchObject({ code: 0 });
    expect(proc.output()).toMatch(/Hookhub stopped/);
    expect(proc.output()).not.toMatch(/"level":50/);
  });

  it('runs as a worker without an HTTP server', async () => {
    const proc = startMain({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker', LOG_LEVEL: 'info', PORT: '1' });
    await proc.waitFor(/Hookhub started: role=worker"/);
    expect(proc.output()).not.toMatch(/Nest application successfully started/);
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect({ ...exit, output: proc.output().slice(-2000) }).toMatchObject({ code: 0 });
    expect(proc.output()).toMatch(/Hookhub stopped/);
  });
});
