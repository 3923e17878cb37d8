import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiError, ErrorDetail } from '../common/api-error';
import { randomToken } from '../common/crypto';
import { newId } from '../common/ids';
import { refuseNulls } from '../common/validators';
import { SecretBox } from '../common/secret-box';
import { generateSecret } from '../common/signing';
import { isValidEventType } from '../subscriptions/event-pattern';
import { LoadingCache } from '../common/loading-cache';
import type { SourceConfig } from '../integrations/provider';
import { Provider, PROVIDER_ISSUED_SCHEMES, providerDefinition } from '../integrations/providers';
import { CountsByTenant, countsByTenant } from '../tenants/tenant-data';
import { CreateSourceDto, UpdateSourceDto } from './dto/source.dto';
import { ConfigMatch, refuseUnverifiedOnSharedRoute } from './shared-route';
import { Source } from './source.entity';
import { schemeNeedsSecret, VerificationScheme } from './verification';
import { WebhooksRepository } from './webhooks.repository';

export const DEFAULT_MAX_RETRIES = 3;

/**
 * How long the ingest routes keep a source (found by id) and the candidates of a shared route (found
 * by a config value) in memory. A change made through this process (create, update, disable, rotate,
 * delete) drops them at once; another API process sees the change within this time
 * (docs/architecture.md).
 */
export const INGEST_SOURCE_TTL_MS = 1000;

/**
 * The candidates a shared route considers per tenant for one request (the oldest active ones). Tenants
 * are made by the operator; a tenant cannot make a request cost more by adding sources for someone
 * else's account, nor push another tenant's source out of the candidates.
 */
export const SHARED_CANDIDATES_PER_TENANT = 5;

/** At most this many sources (and candidate lists) are kept; past it the oldest go first. */
const CACHE_LIMIT = 10_000;

/** Owns the sources table: CRUD, verification secrets sealed at rest. */
@Injectable()
export class SourcesService {
  /** Sources by id for the ingest routes; unknown and deleted ids are not kept. */
  private readonly byId = new LoadingCache<Source | null>({
    ttlMs: INGEST_SOURCE_TTL_MS,
    limit: CACHE_LIMIT,
    keep: (source) => source !== null,
  });
  /** Candidates of the shared routes by provider and config values; empty lists are not kept. */
  private readonly byConfig = new LoadingCache<Source[]>({
    ttlMs: INGEST_SOURCE_TTL_MS,
    limit: CACHE_LIMIT,
    keep: (sources) => sources.length > 0,
  });

  constructor(
    @InjectRepository(Source) private readonly sources: Repository<Source>,
    private readonly box: SecretBox,
    private readonly rows: WebhooksRepository,
  ) {}

  async create(tenantId: string, dto: CreateSourceDto): Promise<{ source: Source; secret: string | null }> {
    const scheme = dto.verification?.scheme ?? providerDefinition(dto.provider).defaultScheme;
    refuseUnverifiedOnSharedRoute(dto.provider, scheme, sharedRouteOf(dto.provider));
    const secret = this.secretFor(scheme, dto.verification?.secret);
    validateConfig(dto.config ?? {});
    const source = this.sources.create({
      id: newId('source'),
      tenantId,
      name: dto.name,
      provider: dto.provider,
      scheme,
      secretSealed: secret === null ? null : this.box.seal(secret),
      header: dto.verification?.header ?? null,
      toleranceS: dto.verification?.tolerance_s ?? 300,
      config: dto.config ?? {},
      active: dto.active ?? true,
      lastError: null,
      lastErrorAt: null,
    });
    const saved = await this.sources.save(source);
    this.byConfig.drop(); // it may be a candidate of a shared route
    return { source: saved, secret };
  }

  async get(tenantId: string, id: string): Promise<Source> {
    const source = await this.sources.findOneBy({ id, tenantId, deletedAt: IsNull() });
    if (!source) throw ApiError.notFound('Source', id);
    return source;
  }

  async list(tenantId: string, provider: Provider | undefined, limit: number, offset: number) {
    const [items, total] = await this.sources.findAndCount({
      where: { tenantId, deletedAt: IsNull(), ...(provider ? { provider } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  async update(tenantId: string, id: string, dto: UpdateSourceDto): Promise<{ source: Source; secret: string | null }> {
    const nulls = refuseNulls(dto, ['name', 'provider', 'verification', 'config', 'active']);
    if (nulls.length > 0) throw ApiError.validation('Some fields cannot be null.', nulls);
    const source = await this.get(tenantId, id);
    if (dto.provider !== undefined && dto.provider !== source.provider) {
      throw ApiError.validation('The provider of a source cannot change; create another source.', [
        { field: 'provider', message: 'provider cannot change' },
      ]);
    }
    let secret: string | null = null;
    if (dto.verification) {
      const scheme = dto.verification.scheme;
      refuseUnverifiedOnSharedRoute(source.provider, scheme, sharedRouteOf(source.provider));
      const keepSecret = scheme === source.scheme && dto.verification.secret === undefined && source.secretSealed;
      if (!keepSecret) {
        secret = this.secretFor(scheme, dto.verification.secret);
        source.secretSealed = secret === null ? null : this.box.seal(secret);
      }
      source.scheme = scheme;
      source.header = dto.verification.header ?? source.header;
      source.toleranceS = dto.verification.tolerance_s ?? source.toleranceS;
    }
    if (dto.config !== undefined) {
      validateConfig(dto.config);
      source.config = dto.config;
    }
    if (dto.name !== undefined) source.name = dto.name;
    if (dto.active !== undefined) source.active = dto.active;
    this.forget(id);
    const saved = await this.sources.save(source);
    this.forget(id);
    return { source: saved, secret };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const source = await this.get(tenantId, id);
    this.forget(source.id);
    await this.sources.update({ id: source.id }, { deletedAt: () => 'now()', active: false });
    this.forget(source.id);
  }

  /** Sources not deleted, per tenant (the admin tenant list). */
  async countByTenant(tenantIds: string[]): Promise<CountsByTenant> {
    return countsByTenant(await this.rows.countSourcesByTenant(tenantIds));
  }

  /** Deletes the tenant's sources, deleted ones included (tenant deletion; their inbound events go first). */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await this.rows.deleteSourcesOf(manager, tenantId);
  }

  /** Drops every source from the ingest caches of this process (after a tenant's sources were deleted). */
  forgetAll(): void {
    this.byId.drop();
    this.byConfig.drop();
  }

  /**
   * Records why a processing run of one of the source's inbound events failed, as its `last_error`.
   * Written with `manager` (the transaction that records the run); `updated_at` stays the time of the
   * last change of its settings.
   */
  async recordError(manager: EntityManager, tenantId: string, sourceId: string, reason: string): Promise<void> {
    await this.rows.recordSourceError(manager, tenantId, sourceId, reason);
  }

  /**
   * A source by id alone, for the ingest routes (which authenticate by the source's own
   * verification). Kept in memory for INGEST_SOURCE_TTL_MS; unknown and deleted ids are not kept.
   * The source returned is shared: callers must not change it.
   */
  async findForIngest(id: string): Promise<Source | null> {
    if (!/^src_[0-9a-z]{26}$/.test(id)) return null;
    return this.byId.get(id, () => this.sources.findOneBy({ id, deletedAt: IsNull() }));
  }

  /**
   * The candidates of a shared provider route (src/webhooks/shared-route.ts): the sources of a provider,
   * in any tenant, whose `config[key]` equals the value of one of `matches` (compared as text), active
   * or not, at most SHARED_CANDIDATES_PER_TENANT per tenant, oldest first. Kept in memory for
   * INGEST_SOURCE_TTL_MS; the sources returned are shared: callers must not change them.
   */
  async findCandidates(provider: Provider, matches: readonly ConfigMatch[]): Promise<Source[]> {
    if (matches.length === 0) return [];
    const key = JSON.stringify([provider, matches.map((m) => [m.key, m.value])]);
    return this.byConfig.get(key, () => this.loadCandidates(provider, matches));
  }

  private loadCandidates(provider: Provider, matches: readonly ConfigMatch[]): Promise<Source[]> {
    return this.rows.sharedCandidates(provider, matches, SHARED_CANDIDATES_PER_TENANT);
  }

  /** Drops a source from the ingest caches (called before and after each change is written). */
  private forget(id: string): void {
    this.byId.drop(id);
    this.byConfig.drop();
  }

  secretOf(source: Source): string | null {
    // SecretBox remembers what it opened, so a cached source's secret is decrypted once
    return source.secretSealed === null ? null : this.box.open(source.secretSealed);
  }

  maxRetries(source: Source): number {
    return typeof source.config.max_retries === 'number' ? source.config.max_retries : DEFAULT_MAX_RETRIES;
  }

  private secretFor(scheme: VerificationScheme, given: string | undefined): string | null {
    if (!schemeNeedsSecret(scheme)) return null;
    if (given !== undefined) return given;
    if (PROVIDER_ISSUED_SCHEMES.has(scheme)) {
      throw ApiError.validation(`The ${scheme} scheme needs the secret the provider issued.`, [
        { field: 'verification.secret', message: `verification.secret is required for the ${scheme} scheme` },
      ]);
    }
    return scheme === 'standard-webhooks' ? generateSecret() : randomToken(24);
  }
}

/** The path of the provider's route shared by every tenant, if it has one. */
function sharedRouteOf(provider: Provider): string | undefined {
  return providerDefinition(provider).sharedRoute;
}

/** Checks the keys of `config` that Hookhub itself reads. */
export function validateConfig(config: SourceConfig): void {
  const problems: ErrorDetail[] = [];
  const intIn = (key: string, min: number, max: number): void => {
    const value = config[key];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < min || (value as number) > max)) {
      problems.push({ field: `config.${key}`, message: `config.${key} must be an integer from ${min} to ${max}` });
    }
  };
  intIn('rate_limit_per_second', 1, 100_000);
  intIn('max_retries', 0, 20);
  const type = config.default_event_type;
  if (type !== undefined && (typeof type !== 'string' || !isValidEventType(type))) {
    problems.push({
      field: 'config.default_event_type',
      message: 'config.default_event_type must be an event type such as order.created',
    });
  }
  if (problems.length > 0) throw ApiError.validation('The source config is invalid.', problems);
}
