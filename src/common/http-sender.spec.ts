import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpSender, SendRequest } from './http-sender';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Peer {
  url: string;
  port: number;
  received: Received[];
  connections: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const peers: Peer[] = [];
const timers: NodeJS.Timeout[] = [];

/** A real HTTP server on 127.0.0.1 that records every request (body included) before `handler` answers it. */
async function startPeer(handler: Handler): Promise<Peer> {
  const server = http.createServer();
  const peer: Peer = { url: '', port: 0, received: [], connections: 0, close: () => Promise.resolve() };
  server.on('connection', () => (peer.connections += 1));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      peer.received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.port = (server.address() as AddressInfo).port;
  peer.url = `http://127.0.0.1:${peer.port}`;
  peer.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  peers.push(peer);
  return peer;
}

function post(url: string, overrides: Partial<SendRequest> = {}): SendRequest {
  return {
    url,
    headers: { 'content-type': 'application/json' },
    body: '{"event_type":"deal.won"}',
    timeoutMs: 2000,
    ...overrides,
  };
}

describe('HttpSender', () => {
  let sender: HttpSender;

  beforeEach(() => {
    sender = new HttpSender({ allowPrivate: true });
  });

  afterEach(async () => {
    timers.splice(0).forEach(clearInterval);
    await sender.close();
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
  });

  it('delivers a POST intact and reports a 2xx with its status, headers and body', async () => {
    const peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Receiver': 'crm' });
      res.end('thanks ✓');
    });
    const body = '{"webhook_id":"wh_1","data":{"amount":42,"name":"Zoë"}}';

    const result = await sender.send(
      post(`${peer.url}/hooks/in?x=1`, {
        headers: { 'Content-Type': 'application/json', 'Webhook-Id': 'msg_1', 'X-Request-ID': 'trace-1' },
        body,
      }),
    );

    expect(result).toMatchObject({
      ok: true,
      httpStatus: 200,
      error: null,
      errorKind: null,
      responseBody: 'thanks ✓',
      retryAfter: undefined,
    });
    expect(result.responseHeaders).toMatchObject({ 'content-type': 'text/plain', 'x-receiver': 'crm' });
    expect(Number.isInteger(result.responseTimeMs)).toBe(true);
    expect(result.responseTimeMs).toBeGreaterThanOrEqual(0);
    expect(peer.received).toHaveLength(1);
    const [received] = peer.received;
    expect(received).toMatchObject({ method: 'POST', url: '/hooks/in?x=1', body });
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'x-request-id': 'trace-1',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('reuses one keep-alive connection for consecutive sends to the same origin', async () => {
    const peer = await startPeer((_req, res) => res.end('ok'));
    // One connection per origin: without keep-alive every send would need a new one.
    const single = new HttpSender({ allowPrivate: true, connectionsPerOrigin: 1 });
    try {
      for (let i = 0; i < 3; i += 1) expect((await single.send(post(peer.url))).ok).toBe(true);
    } finally {
      await single.close();
    }
    expect(peer.received).toHaveLength(3);
    expect(peer.connections).toBe(1);
  });

  it.each([
    [500, 'HTTP 500'],
    [410, 'HTTP 410'],
    [404, 'HTTP 404'],
  ])('reports a %d as a failed attempt of kind http_status', async (status, error) => {
    const peer = await startPeer((_req, res) => {
      res.writeHead(status);
      res.end('nope');
    });
    await expect(sender.send(post(peer.url))).resolves.toMatchObject({
      ok: false,
      httpStatus: status,
      error,
      errorKind: 'http_status',
      responseBody: 'nope',
    });
  });

  it('captures Retry-After on a 429', async () => {
    const peer = await startPeer((_req, res) => {
      res.writeHead(429, { 'Retry-After': '120' });
      res.end();
    });
    await expect(sender.send(post(peer.url))).resolves.toMatchObject({
      ok: false,
      httpStatus: 429,
      errorKind: 'http_status',
      retryAfter: '120',
    });
  });

  it('answers a body holding NUL, invalid UTF-8 and an encoded lone surrogate as storable text', async () => {
    const peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.concat([Buffer.from('ok\u0000'), Buffer.from([0xff, 0xed, 0xa0, 0x80]), Buffer.from('!')]));
    });
    const result = await sender.send(post(peer.url));
    expect(result).toMatchObject({ ok: true, httpStatus: 200 });
    expect(result.responseBody).toBe('ok\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD!');
  });

  it('does not follow a 302 redirect', async () => {
    const target = await startPeer((_req, res) => res.end('should not be reached'));
    const peer = await startPeer((_req, res) => {
      res.writeHead(302, { Location: `${target.url}/elsewhere` });
      res.end();
    });
    const result = await sender.send(post(peer.url));
    expect(result).toMatchObject({
      ok: false,
      httpStatus: 302,
      error: 'redirect (302) not followed',
      errorKind: 'redirect',
    });
    expect(result.responseHeaders.location).toBe(`${target.url}/elsewhere`);
    expect(target.received).toHaveLength(0);
  });

  it('times out on a server that never answers', async () => {
    const peer = await startPeer(() => undefined);
    await expect(sender.send(post(peer.url, { timeoutMs: 300 }))).resolves.toMatchObject({
      ok: false,
      httpStatus: null,
      error: 'timed out after 300 ms',
      errorKind: 'timeout',
    });
  });

  it('times out on a server that sends headers then trickles the body forever', async () => {
    const peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('a');
      timers.push(setInterval(() => res.write('a'), 50));
    });
    await expect(sender.send(post(peer.url, { timeoutMs: 300 }))).resolves.toMatchObject({
      ok: false,
      error: 'timed out after 300 ms',
      errorKind: 'timeout',
    });
  });

  it('reports a socket destroyed before any answer as a connection failure', async () => {
    const peer = await startPeer((req) => req.socket.destroy());
    await expect(sender.send(post(peer.url))).resolves.toMatchObject({
      ok: false,
      httpStatus: null,
      errorKind: 'connection',
    });
  });

  it('reports a closed port as connection refused', async () => {
    const peer = await startPeer(() => undefined);
    await peers.splice(peers.indexOf(peer), 1)[0].close();
    await expect(sender.send(post(peer.url))).resolves.toMatchObject({
      ok: false,
      httpStatus: null,
      error: 'connection refused',
      errorKind: 'connection',
    });
  });

  it('reads only the first 4096 bytes of a 10 MB response', async () => {
    const peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(Buffer.alloc(10 * 1024 * 1024, 'x'));
    });
    const result = await sender.send(post(peer.url));
    expect(result).toMatchObject({ ok: true, httpStatus: 200, errorKind: null });
    expect(result.responseBody).toHaveLength(4096);
    expect(result.responseBody).toBe('x'.repeat(4096));
  });

  it.each([
    ['a URL that is not http(s)', 'ftp://127.0.0.1/'],
    ['an unparseable URL', 'not a url'],
  ])('refuses %s without sending', async (_what, url) => {
    await expect(sender.send(post(url))).resolves.toMatchObject({ ok: false, errorKind: 'invalid_url' });
  });

  describe('without ALLOW_PRIVATE_URLS', () => {
    let guarded: HttpSender;

    beforeEach(() => {
      guarded = new HttpSender({ allowPrivate: false });
    });

    afterEach(() => guarded.close());

    it('refuses an IP literal of loopback before connecting', async () => {
      const peer = await startPeer((_req, res) => res.end('leaked'));
      await expect(guarded.send(post(`${peer.url}/internal`))).resolves.toMatchObject({
        ok: false,
        httpStatus: null,
        error: 'refused address 127.0.0.1 (private or loopback)',
        errorKind: 'refused_address',
      });
      expect(peer.connections).toBe(0);
      expect(peer.received).toHaveLength(0);
    });

    it('refuses a hostname that resolves to loopback (localhost) at connect time', async () => {
      const peer = await startPeer((_req, res) => res.end('leaked'));
      const result = await guarded.send(post(`http://localhost:${peer.port}/internal`));
      expect(result).toMatchObject({ ok: false, httpStatus: null, errorKind: 'refused_address' });
      expect(result.error).toMatch(/^refused address (127\.0\.0\.1|::1) \(private or loopback\)$/);
      expect(peer.connections).toBe(0);
      expect(peer.received).toHaveLength(0);
    });
  });
});
