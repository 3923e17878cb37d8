import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { PeriodicTask } from '../../common/periodic-task';
import { InjectConfig } from '../../config/config.module';
import { AppConfig } from '../../config/env';
import { InjectRedis } from '../../redis/redis.module';
import type { Source } from '../../webhooks/source.entity';
import { WebhooksRepository } from '../../webhooks/webhooks.repository';
import { SourcesService } from '../../webhooks/sources.service';
import { YclientsApiAccess, YclientsApiClient } from './yclients-api.client';
import { YclientsReplayer } from './yclients.replayer';
import { idOf, instantOf, isoLocalOf } from './yclients.values';

export const DEFAULT_RECONCILE_INTERVAL_S = 300;
/** Each run asks again for this much before the watermark: changes at its edge are not lost, repeats are duplicates. */
export const OVERLAP_MS = 60_000;

export interface ReconcileSettings {
  access: YclientsApiAccess;
  intervalMs: number;
}

export interface ReconcileResult {
  fetched: number;
  stored: number;
  duplicates: number;
  /** `config.reconciled_until` after the run. */
  watermark: string;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** What a source's config says about reconciliation; null when it has no `api_url` / `partner_token` / `company_id`. */
export function reconcileSettings(source: Source): ReconcileSettings | null {
  const c = source.config;
  const apiUrl = text(c.api_url);
  const partnerToken = text(c.partner_token);
  const companyId = idOf(c.company_id);
  if (!apiUrl || !partnerToken || !companyId) return null;
  const interval = Number(c.reconcile_interval_s);
  const seconds = Number.isInteger(interval) && interval >= 1 ? interval : DEFAULT_RECONCILE_INTERVAL_S;
  return { access: { apiUrl, partnerToken, userToken: text(c.user_token), companyId }, intervalMs: seconds * 1000 };
}

/** `iso` moved by `deltaMs`, written in the offset it was given in ("Z" as "+00:00"). */
export function shiftIso(iso: string, deltaMs: number): string {
  const instant = instantOf(iso);
  if (!instant) throw new Error(`"${iso}" is not a date-time with an offset`);
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  const offsetMs = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000 : 0;
  const local = new Date(instant.getTime() + deltaMs + offsetMs).toISOString().slice(0, 19);
  return `${local}${zone ? zone[0] : '+00:00'}`;
}

/** The later of two date-times (texts with offsets), as given; unreadable ones lose. */
function later(current: string, candidate: unknown): string {
  const next = isoLocalOf(candidate);
  const a = instantOf(current);
  const b = next === null ? null : instantOf(next);
  return b !== null && (a === null || b > a) ? next! : current;
}

/** The status a webhook would have carried for the record's latest change. */
export function statusOf(record: Record<string, unknown>): 'create' | 'update' | 'delete' {
  if (record.deleted === true || record.deleted === 1) return 'delete';
  const created = instantOf(record.create_date);
  const changed = instantOf(record.last_change_date);
  if (record.last_change_date === undefined || record.last_change_date === null) return 'create';
  return created !== null && changed !== null && created.getTime() === changed.getTime() ? 'create' : 'update';
}

/**
 * Worker-only: every SWEEP_INTERVAL, each active YClients source with `api_url`, `partner_token`
 * and `company_id` in its config is reconciled once per `reconcile_interval_s` (default 300; one
 * worker per source and interval, by a Redis key): the records changed since `config.reconciled_until`
 * (else since the source's newest inbound event, else one interval ago) are read from the YClients
 * REST API and replayed as `record` notifications through the ingest pipeline, where the ones
 * already received by webhook are duplicates. The watermark then moves to the newest
 * `last_change_date` seen.
 */
@Injectable()
export class YclientsReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(YclientsReconciler.name);
  private readonly task: PeriodicTask;
  private readonly api: YclientsApiClient;
  private current: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly sources: SourcesService,
    private readonly replayer: YclientsReplayer,
    @InjectRedis() private readonly redis: Redis,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.api = new YclientsApiClient({ allowHttp: config.allowHttpUrls, allowPrivate: config.allowPrivateUrls });
    this.task = new PeriodicTask('yclients reconciliation', config.sweepIntervalMs, () => this.tracked(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start(0);
  }

  /** Stops scheduling and lets a run under way end at its next record (its watermark is then not moved). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.task.stop();
    await this.current?.catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.api.close();
  }

  private tracked(): Promise<void> {
    this.current = this.runDue();
    return this.current;
  }

  /** Reconciles every source that is due; a failing source is logged and does not stop the others. */
  async runDue(): Promise<void> {
    for (const source of await this.reconcilable()) {
      const settings = reconcileSettings(source);
      if (!settings || this.stopping || !(await this.claim(source, settings.intervalMs))) continue;
      try {
        const result = await this.reconcile(source, settings);
        if (result.stored > 0) {
          this.logger.log(
            `source ${source.id}: ${result.stored} missed YClients records stored (${result.fetched} read)`,
          );
        }
      } catch (error) {
        this.logger.warn(`source ${source.id}: YClients reconciliation failed: ${(error as Error).message}`);
      }
    }
  }

  /** One run for one source, whether due or not. */
  async reconcile(source: Source, settings: ReconcileSettings): Promise<ReconcileResult> {
    const since = await this.watermarkOf(source, settings.intervalMs);
    const traceId = `yclients-reconcile-${randomUUID()}`;
    const result: ReconcileResult = { fetched: 0, stored: 0, duplicates: 0, watermark: since };
    for await (const page of this.api.changedRecords(settings.access, shiftIso(since, -OVERLAP_MS))) {
      for (const record of page) {
        if (this.stopping) throw new Error('stopped by shutdown before the end of the run');
        result.fetched += 1;
        if (idOf(record.id) === null) continue;
        const { duplicate } = await this.store(source, settings.access.companyId, record, traceId);
        if (duplicate) result.duplicates += 1;
        else result.stored += 1;
        result.watermark = later(result.watermark, record.last_change_date);
      }
    }
    if (result.watermark !== source.config.reconciled_until) await this.saveWatermark(source, result.watermark);
    return result;
  }

  private async store(source: Source, companyId: string, record: Record<string, unknown>, traceId: string) {
    const notification = {
      company_id: /^\d+$/.test(companyId) ? Number(companyId) : companyId,
      resource: 'record',
      resource_id: record.id as number | string,
      status: statusOf(record),
      data: record,
    };
    // replays are trusted: no verification and no rate limit to wait for
    return this.replayer.replay(source, notification, traceId);
  }

  /** `config.reconciled_until`, else the source's newest inbound event, else one interval ago. */
  private async watermarkOf(source: Source, intervalMs: number): Promise<string> {
    const configured = isoLocalOf(source.config.reconciled_until);
    if (configured !== null && instantOf(configured) !== null) return configured;
    const newest = await this.webhooks.newestInboundAt(source.id);
    return (newest ?? new Date(Date.now() - intervalMs)).toISOString();
  }

  private async saveWatermark(source: Source, watermark: string): Promise<void> {
    const fresh = await this.webhooks.sourceById(source.id);
    if (!fresh || fresh.deletedAt) return;
    await this.sources.update(fresh.tenantId, fresh.id, { config: { ...fresh.config, reconciled_until: watermark } });
  }

  /** Active YClients sources configured for reconciliation, across tenants. */
  private reconcilable(): Promise<Source[]> {
    return this.webhooks.activeSourcesWith('yclients', ['api_url', 'partner_token']);
  }

  /** True for the one worker that may reconcile the source in this interval. */
  private async claim(source: Source, intervalMs: number): Promise<boolean> {
    const key = `${this.config.queuePrefix}:yclients-reconcile:${source.id}`;
    return (await this.redis.set(key, String(Date.now()), 'PX', intervalMs, 'NX')) === 'OK';
  }
}
