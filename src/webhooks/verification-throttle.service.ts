import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Counter, register } from 'prom-client';
import { ApiError } from '../common/api-error';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { InjectRedis } from '../redis/redis.module';
import { failureWindow, FailureLocks, FailureWindow, secondsLeft } from './failure-locks';
import type { Provider } from '../integrations/providers';
import type { Source } from './source.entity';

/**
 * Which count a failed verification goes to: `source` for the routes that name the source
 * (`/ingest/{source_id}`, `X-Webhook-ID`, Telegram, WhatsApp, Slack's `?source_id=`), `shared` for the
 * provider routes every tenant shares (Kommo, YClients, Slack by app or team). Each source has one
 * count per kind, so a stranger who knows only an account id cannot close the source's own URL.
 */
export type VerifyRoute = 'source' | 'shared';

function counter(name: string, help: string): Counter<'provider' | 'route'> {
  // one registry per process; several apps in one test process share it
  const existing = register.getSingleMetric(name) as Counter<'provider' | 'route'> | undefined;
  return existing ?? new Counter({ name, help, labelNames: ['provider', 'route'] });
}

const failures = counter(
  'hookhub_ingest_verification_failures_total',
  'Ingest requests refused 401 because no source verified their signature or token',
);
const throttled = counter(
  'hookhub_ingest_verification_throttled_total',
  'Ingest requests refused 429 because their source is over VERIFY_FAILURE_LIMIT failed verifications this minute',
);

/**
 * Failed verifications per source and clock minute (VERIFY_FAILURE_LIMIT, docs/configuration.md):
 * Redis counters `<QUEUE_PREFIX>:verify-failures:<route>:<source_id>:<unix minute>`, shared by the API
 * processes. A process that sees a count reach the limit refuses the source's requests (429, even
 * correctly signed ones) until the minute is over; the check before verifying is in memory, so a
 * request that passes costs no Redis call. When Redis is down nothing is counted or refused.
 */
@Injectable()
export class VerificationThrottle {
  private readonly locks = new FailureLocks();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /** The sources a request may still be verified against: those this process does not know to be over the limit. */
  open(sources: readonly Source[], route: VerifyRoute): Source[] {
    const now = Date.now();
    return sources.filter((source) => this.locks.lockOf(`${route}:${source.id}`, now) === null);
  }

  /**
   * Counts one request that none of `sources` verified against each of them. True when one of them
   * is now past the limit: the request is then answered 429 rather than 401.
   */
  async failed(provider: Provider, sources: readonly Source[], route: VerifyRoute): Promise<boolean> {
    failures.inc({ provider, route });
    const window = failureWindow(Date.now());
    const counts = await this.count(sources, route, window);
    let over = false;
    counts.forEach((count, i) => {
      if (count >= this.config.verifyFailureLimit) this.locks.lock(`${route}:${sources[i].id}`, window);
      if (count > this.config.verifyFailureLimit) over = true;
    });
    return over;
  }

  /** The 429 answer, counted; it names no source (a shared route must not reveal another tenant's ids). */
  limited(provider: Provider, route: VerifyRoute): ApiError {
    throttled.inc({ provider, route });
    const now = Date.now();
    return new ApiError(
      'RATE_LIMITED',
      `Too many requests to this ${provider} source failed verification this minute; try again after Retry-After.`,
      [],
      { 'Retry-After': String(secondsLeft(failureWindow(now), now)) },
    );
  }

  /** The counts after this failure, one per source; none when Redis cannot be reached. */
  private async count(sources: readonly Source[], route: VerifyRoute, window: FailureWindow): Promise<number[]> {
    if (sources.length === 0) return [];
    const multi = this.redis.multi();
    for (const source of sources) {
      const key = `${this.config.queuePrefix}:verify-failures:${route}:${source.id}:${window.minute}`;
      multi.incr(key).pexpire(key, 120_000);
    }
    try {
      const replies = (await multi.exec()) ?? [];
      return sources.map((_, i) => {
        const [error, count] = replies[2 * i] ?? [null, 0];
        return error ? 0 : Number(count);
      });
    } catch {
      return []; // Redis is down: storing webhooks matters more than counting failures
    }
  }
}
