import { readFileSync } from 'node:fs';
import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

/** test/fixtures/providers, the recorded provider requests and answers. */
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/providers');

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (to provoke a timeout). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A fixture file's exact text, e.g. fixtureText('telegram/outbound-sendMessage.body'). */
export function fixtureText(relativePath: string): string {
  return readFileSync(path.join(FIXTURES, relativePath), 'utf8');
}

/** The answer recorded in `<provider>/responses/<name>.{status,headers,body}` (Content-Length left to Node). */
export function fixtureResponse(provider: string, name: string): FakeResponse {
  const base = `${provider}/responses/${name}`;
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(fixtureText(`${base}.status`))?.[1]);
  const headers: Record<string, string> = {};
  for (const line of fixtureText(`${base}.headers`).split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (name.toLowerCase() !== 'content-length') headers[name] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: fixtureText(`${base}.body`) };
}

/** The request line of an outbound fixture: { method, path }. */
export function fixtureRequestLine(relativePath: string): { method: string; path: string } {
  const [method, target] = fixtureText(relativePath).split(' ');
  return { method, path: target };
}

/**
 * A provider on 127.0.0.1 (Telegram, Slack or WhatsApp): records every request and answers with whatever
 * {@link FakeProvider.answer} was last given (200 "ok" by default).
 */
export class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  private response: FakeResponse = { status: 200, body: 'ok' };

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeProvider> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeProvider(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => fake.handle(req, res));
    return fake;
  }

  answer(response: FakeResponse): this {
    this.response = response;
    return this;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (this.response.hang) return;
      res.writeHead(this.response.status, this.response.headers ?? {});
      res.end(this.response.body ?? '');
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
