import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../common/api-error';
import { newId } from '../common/ids';
import { traceIdOf } from '../common/request-id';
import { storableText } from '../common/storable';
import { Settled, WriteBatcher } from '../common/write-batcher';
import { InjectConfig } from '../config/config.module';
import { isDatabaseUnavailable, isForeignKeyViolation } from '../database/db-errors';
import { AppConfig } from '../config/env';
import { Provider, providerDefinition } from '../integrations/providers';
import { CountIngest, CountIngestRefusals } from '../observability/instrument';
import { InjectRedis } from '../redis/redis.module';
import { IngestAcceptedDto } from './dto/ingest.dto';
import { InboundQueue } from './inbound.queue';
import { dedupIdentity, InboundRow, planBatch, resolveOutcomes } from './ingest-batch';
import { BodyKind, bodyKindOf, parsePayload } from './payload';
import { Source } from './source.entity';
import { SourcesService } from './sources.service';
import { WebhooksRepository } from './webhooks.repository';
import { notVerified, SharedCandidates, sharedCandidates, SharedLookup } from './shared-route';
import { secretHeaderOf, VerificationResult, verifierFor } from './verification';
import { VerificationThrottle, VerifyRoute } from './verification-throttle.service';

/** What the ingest routes hand over: the raw request, before anything is parsed. */
export interface IngestRequest {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
  kind: string | null;
  traceId: string;
}

export interface IngestResult {
  inboundEventId: string;
  duplicate: boolean;
}

/** What an ingest route hands over from its Express request (`kind`: the `{kind}` of /webhooks/incoming/{kind}). */
export function ingestRequestOf(req: Request, kind: string | null = null): IngestRequest {
  return {
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    headers: req.headers,
    query: req.query,
    kind,
    traceId: traceIdOf(req),
  };
}

/** The answer to a stored request: its inbound event id, `accepted`, or `duplicate` for one stored before. */
export function acceptedAnswer(result: IngestResult): IngestAcceptedDto {
  return { webhook_event_id: result.inboundEventId, status: result.duplicate ? 'duplicate' : 'accepted' };
}

/** Headers never stored: credentials and verification tokens. */
const ALWAYS_REDACTED = ['authorization', 'cookie', 'x-api-key', 'proxy-authorization'];

/**
 * The ingest pipeline (docs/api.md): check the content type, verify the raw bytes, apply the
 * source's rate, parse, deduplicate, store durably, queue processing, answer.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly rows: WebhooksRepository,
    private readonly sources: SourcesService,
    private readonly queue: InboundQueue,
    @InjectConfig() private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
    private readonly throttle: VerificationThrottle,
  ) {}

  /** Group commit of the inserts arriving together (see ingest-batch.ts). */
  private readonly batcher = new WriteBatcher<InboundRow, IngestResult>((rows) => this.writeBatch(rows), {
    maxItems: 100,
    maxWaitMs: 1,
    // a value PostgreSQL cannot store fails its own request only; a lost database fails them all (503)
    retryAloneWhen: (error) => !isDatabaseUnavailable(error),
  });

  /**
   * The active source behind an ingest route, or 404 (unknown or deleted) / 403 (disabled); a
   * provider's own route names its provider, and another provider's source is 404 there.
   */
  @CountIngestRefusals()
  async sourceFor(sourceId: string | undefined, provider?: Provider): Promise<Source> {
    const source = this.usable(sourceId ? await this.sources.findForIngest(sourceId) : null, sourceId);
    if (provider !== undefined && source.provider !== provider) {
      throw ApiError.notFound(`${providerDefinition(provider).name} source`, sourceId);
    }
    return source;
  }

  /**
   * The candidates of a shared provider route for a request (shared-route.ts): 404 when no source
   * matches, 403 when every match is disabled. `accept` then gives the request to one of them.
   */
  @CountIngestRefusals()
  async candidatesFor(lookup: SharedLookup): Promise<SharedCandidates> {
    return sharedCandidates(await this.sources.findCandidates(lookup.provider, lookup.matches), lookup);
  }

  /** Parses a body only to find its source (provider routes); the stored payload is parsed again after verification. */
  peek(rawBody: Buffer, contentType: string | undefined): unknown {
    const kind = bodyKindOf(contentType);
    if (!kind || rawBody.length === 0) return {};
    try {
      return parsePayload(rawBody, kind);
    } catch {
      return {};
    }
  }

  /**
   * Verifies a request without storing it (e.g. Slack's url_verification handshake), as `accept` does;
   * returns the source that verified it.
   */
  async verifyOnly(to: Source | SharedCandidates, request: IngestRequest): Promise<Source> {
    return this.verify(to, request);
  }

  private usable(source: Source | null, what: string | undefined): Source {
    if (!source) throw ApiError.notFound('Source', what);
    if (!source.active) throw new ApiError('FORBIDDEN', `Source ${source.id} is disabled.`);
    return source;
  }

  /**
   * Verifies, rate-limits and stores a request for the source its route names, or for the first of a
   * shared route's candidates whose verification it passes.
   */
  @CountIngest()
  async accept(to: Source | SharedCandidates, request: IngestRequest): Promise<IngestResult> {
    const kind = this.bodyKind(request);
    const source = await this.verify(to, request);
    await this.checkRate(source);
    return this.storeRequest(source, request, kind);
  }

  /**
   * The tail every ingest route shares once it knows the source (or a shared route's candidates):
   * `accept`, then the answer, 202 `accepted`, or 200 `duplicate` with the first inbound event id
   * for a request stored before (set on `res`; a route answering 200 either way keeps its 200).
   */
  async receive(
    to: Source | SharedCandidates,
    request: IngestRequest,
    res: Pick<Response, 'status'>,
  ): Promise<IngestAcceptedDto> {
    const result = await this.accept(to, request);
    if (result.duplicate) res.status(200);
    return acceptedAnswer(result);
  }

  /**
   * Stores a request Hookhub made itself (a reconciliation job's replay of a missed webhook): no
   * signature to check and no rate to apply, but the same parsing, dedup key and storage, so a
   * replay and the webhook it stands for are one inbound event.
   */
  async acceptTrusted(source: Source, request: Omit<IngestRequest, 'query'>): Promise<IngestResult> {
    return this.storeRequest(source, { ...request, query: {} }, this.bodyKind({ ...request, query: {} }));
  }

  private bodyKind(request: IngestRequest): BodyKind {
    const kind = bodyKindOf(request.headers['content-type']);
    if (!kind) {
      throw new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Send application/json or application/x-www-form-urlencoded (got ${request.headers['content-type'] ?? 'none'}).`,
      );
    }
    return kind;
  }

  private async storeRequest(source: Source, request: IngestRequest, kind: BodyKind): Promise<IngestResult> {
    if (request.rawBody.length === 0) {
      throw ApiError.validation('The request body is empty.', [{ field: 'body', message: 'body must not be empty' }]);
    }
    // everything stored from the request is storable: payload (parsePayload), headers, kind and dedup key
    const payload = parsePayload(request.rawBody, kind);
    const headers = this.storedHeaders(source, request.headers);
    const requestKind = storableText(request.kind);
    const dedupKey = storableText(
      providerDefinition(source.provider).normalizer.dedupKey({ source, payload, headers, kind: requestKind }) ??
        `sha256:${createHash('sha256').update(source.id).update('\n').update(request.rawBody).digest('hex')}`,
    );
    return this.store(source, {
      payload,
      headers,
      dedupKey,
      kind: requestKind,
      traceId: request.traceId,
      contentType: kind,
    });
  }

  /**
   * The source that takes the request: the first (oldest) one whose verification it passes. Sources
   * over VERIFY_FAILURE_LIMIT are not tried; when none passes, the failure is counted against each
   * source tried (verification-throttle.service.ts), and the answer is 429 when one of them is, or
   * now gets, past the limit, else 401. Nothing is stored either way.
   */
  private async verify(to: Source | SharedCandidates, request: IngestRequest): Promise<Source> {
    const route: VerifyRoute = to instanceof SharedCandidates ? 'shared' : 'source';
    const all = to instanceof SharedCandidates ? to.sources : [to];
    const open = this.throttle.open(all, route);
    if (open.length === 0) throw this.throttle.limited(to.provider, route);
    const reasons: string[] = [];
    for (const source of open) {
      const result = this.check(source, request);
      if (result.ok) return source;
      reasons.push(result.reason);
    }
    const over = await this.throttle.failed(to.provider, open, route);
    if (over || open.length < all.length) throw this.throttle.limited(to.provider, route);
    throw notVerified(reasons);
  }

  private check(source: Source, request: IngestRequest): VerificationResult {
    return verifierFor(source.scheme).verify({
      rawBody: request.rawBody,
      headers: request.headers,
      query: request.query,
      secret: this.sources.secretOf(source),
      header: source.header,
      toleranceS: source.toleranceS,
      now: new Date(),
    });
  }

  /** 429 with Retry-After when the source is over `config.rate_limit_per_second`. */
  private async checkRate(source: Source): Promise<void> {
    const limit = source.config.rate_limit_per_second;
    if (typeof limit !== 'number') return;
    const second = Math.floor(Date.now() / 1000);
    const key = `${this.config.queuePrefix}:ingest-rate:${source.id}:${second}`;
    let count: number;
    try {
      [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 2000).exec()) as [[Error | null, number]];
    } catch {
      return; // Redis is down: storing the webhook matters more than its rate limit
    }
    if (count > limit) {
      throw new ApiError('RATE_LIMITED', `Source ${source.id} is over its ${limit} requests per second.`, [], {
        'Retry-After': '1',
      });
    }
  }

  private storedHeaders(source: Source, headers: IncomingHttpHeaders): Record<string, string> {
    const secretHeader = secretHeaderOf(source.scheme, source.header);
    const stored: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      const redacted = ALWAYS_REDACTED.includes(name) || name === secretHeader;
      stored[name] = redacted ? '[redacted]' : storableText(Array.isArray(value) ? value.join(', ') : value);
    }
    return stored;
  }

  private async store(
    source: Source,
    e: {
      payload: unknown;
      headers: Record<string, string>;
      dedupKey: string;
      kind: string | null;
      traceId: string;
      contentType: string;
    },
  ): Promise<IngestResult> {
    try {
      return await this.batcher.submit({
        id: newId('inboundEvent'),
        tenantId: source.tenantId,
        sourceId: source.id,
        provider: source.provider,
        kind: e.kind,
        dedupKey: e.dedupKey,
        maxRetries: this.sources.maxRetries(source),
        headers: e.headers,
        payload: e.payload,
        contentType: e.contentType,
        traceId: e.traceId,
      });
    } catch (error) {
      // the source was deleted with its tenant after this process read it (its cache lags by up to a second)
      if (isForeignKeyViolation(error)) throw ApiError.notFound('Source', source.id);
      if (!isDatabaseUnavailable(error)) throw error;
      throw new ApiError('SERVICE_UNAVAILABLE', 'The event could not be stored; send it again shortly.', [], {
        'Retry-After': '5',
      });
    }
  }

  /**
   * Writes one batch: one multi-row INSERT (committed on its own), one SELECT for the keys that were
   * already stored, then one addBulk for the new rows, before any request of the batch is answered.
   */
  private async writeBatch(rows: InboundRow[]): Promise<Settled<IngestResult>[]> {
    const results = await this.insertRows(rows);
    const stored = rows.filter((row, i) => {
      const result = results[i];
      return result.ok && !result.value.duplicate && result.value.inboundEventId === row.id;
    });
    // after the commit; a Redis failure is logged and the sweeper queues the rows later
    await this.queue.enqueue(stored.map((row) => ({ id: row.id, retryCount: 0, nextRetryAt: null })));
    return results;
  }

  private async insertRows(rows: InboundRow[]): Promise<Settled<IngestResult>[]> {
    const plan = planBatch(rows);
    const returned = await this.rows.insertInbound(plan.leaders.map((i) => rows[i]));
    // matched by id, whatever the stored dedup key (made storable in storeRequest; see dedupIdentity)
    const inserted = new Set(returned.map((r) => r.id));
    const conflicting = plan.leaders.map((i) => rows[i]).filter((row) => !inserted.has(row.id));
    let existing: Map<string, string> | { error: unknown } = new Map();
    if (conflicting.length > 0) {
      try {
        const found = await this.rows.inboundWithKeys(conflicting);
        existing = new Map(found.map((r) => [dedupIdentity(r.source_id, r.dedup_key), r.id]));
      } catch (error) {
        // the new rows are stored all the same: only the duplicates get this error
        existing = { error };
      }
    }
    return resolveOutcomes(rows, plan, inserted, existing);
  }
}
