import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';

/** Answers GET /metrics (the process's series, as the API's /metrics) and GET /health (the process is up). */
async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics' && path !== '/health') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Only /metrics and /health are served here.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Use GET.\n');
    return;
  }
  if (path === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', role: 'worker' }));
    return;
  }
  const text = await register.metrics();
  res.writeHead(200, { 'content-type': register.contentType }).end(req.method === 'HEAD' ? undefined : text);
}

/**
 * The worker role has no HTTP API: it serves /metrics and a liveness /health on METRICS_PORT instead
 * (docs/observability.md). The api and all roles serve both on PORT and start nothing here. A port
 * already in use stops the worker at start, like PORT does for the API.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role !== 'worker') return;
    const server = createServer((req, res) => {
      answer(req, res).catch((error: unknown) => {
        this.logger.error(`metrics scrape failed: ${(error as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Serving /metrics and /health on port ${this.port()}`);
  }

  /** The port listened on (METRICS_PORT, or the one the system chose for 0); null when not serving. */
  port(): number | null {
    return this.server ? (this.server.address() as AddressInfo).port : null;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
