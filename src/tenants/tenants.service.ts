import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { randomToken, safeEqual, sha256Hex } from '../common/crypto';
import { newId } from '../common/ids';
import { ApiKey } from './api-key.entity';
import { CountsByTenant, countsByTenant } from './tenant-data';
import { Tenant } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

/** Who is calling: resolved from the API key by the passport strategy. */
export interface TenantPrincipal {
  tenantId: string;
  apiKeyId: string;
}

export const API_KEY_PREFIX = 'hh_';

/** Last-used times are written at most this often per key, to keep reads free of writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class TenantsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
    private readonly rows: TenantsRepository,
  ) {}

  /** Creates a tenant with its first API key, in one transaction. */
  async create(name: string): Promise<{ tenant: Tenant; apiKey: ApiKey; key: string }> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await manager.save(manager.create(Tenant, { id: newId('tenant'), name }));
      const { apiKey, key } = await this.issueKey(manager.getRepository(ApiKey), tenant.id, 'default');
      return { tenant, apiKey, key };
    });
  }

  async addApiKey(tenantId: string, name: string | null): Promise<{ apiKey: ApiKey; key: string }> {
    await this.get(tenantId);
    return this.issueKey(this.apiKeys, tenantId, name);
  }

  /** The tenant's keys that work (not revoked), newest first; never the key or its hash. */
  async listApiKeys(tenantId: string, limit: number, offset: number): Promise<{ items: ApiKey[]; total: number }> {
    const [items, total] = await this.apiKeys.findAndCount({
      where: { tenantId, revokedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  /** Revokes one of the caller's own keys; not the key making the call, which would lock the caller out mid-request. */
  async revokeOwnApiKey(principal: TenantPrincipal, apiKeyId: string): Promise<void> {
    // key ids are not secret, but this file compares anything named like a key in constant time
    if (safeEqual(apiKeyId, principal.apiKeyId)) {
      throw new ApiError(
        'CONFLICT',
        'Cannot revoke the key in use: revoke it with another key of the tenant, or ask the operator.',
      );
    }
    await this.revokeApiKey(principal.tenantId, apiKeyId);
  }

  async revokeApiKey(tenantId: string, apiKeyId: string): Promise<void> {
    const result = await this.apiKeys.update(
      { id: apiKeyId, tenantId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    if (!result.affected) throw ApiError.notFound('API key', apiKeyId);
  }

  /** Every tenant, newest first (the admin list). */
  async list(limit: number, offset: number): Promise<{ items: Tenant[]; total: number }> {
    const [items, total] = await this.tenants.findAndCount({
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  /** Keys that work (not revoked), per tenant. */
  async countApiKeysByTenant(tenantIds: string[]): Promise<CountsByTenant> {
    return countsByTenant(await this.rows.countApiKeysByTenant(tenantIds));
  }

  /**
   * Locks the tenant's row for its deletion (`manager`'s transaction): from then on no row that
   * references the tenant can be added until the deletion is over. False when there is no such tenant.
   */
  async lockForDeletion(manager: EntityManager, tenantId: string): Promise<boolean> {
    return this.rows.lockForDeletion(manager, tenantId);
  }

  /** Deletes the tenant's API keys (revoked ones included) and the tenant itself, last of all its rows. */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await this.rows.deleteTenant(manager, tenantId);
  }

  async get(tenantId: string): Promise<Tenant> {
    const tenant = await this.tenants.findOneBy({ id: tenantId });
    if (!tenant) throw ApiError.notFound('Tenant', tenantId);
    return tenant;
  }

  /** Changes the caller's own tenant settings (name, time zone, locale). */
  async update(tenantId: string, changes: { name?: string; timezone?: string; locale?: string }): Promise<Tenant> {
    const tenant = await this.get(tenantId);
    if (changes.timezone !== undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: changes.timezone });
      } catch {
        throw ApiError.validation('The time zone is unknown.', [
          { field: 'timezone', message: `"${changes.timezone}" is not an IANA time zone such as Europe/Moscow` },
        ]);
      }
    }
    if (changes.locale !== undefined && !Intl.DateTimeFormat.supportedLocalesOf([changes.locale]).length) {
      throw ApiError.validation('The locale is unknown.', [
        { field: 'locale', message: `"${changes.locale}" is not a locale such as ru or en` },
      ]);
    }
    Object.assign(tenant, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
    return this.tenants.save(tenant);
  }

  /** The principal behind a presented key, or null when the key is unknown or revoked. */
  async authenticate(key: string): Promise<TenantPrincipal | null> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
    const found = await this.apiKeys.findOneBy({ keyHash: sha256Hex(key), revokedAt: IsNull() });
    if (!found) return null;
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.apiKeys.update({ id: found.id }, { lastUsedAt: () => 'now()' });
    }
    return { tenantId: found.tenantId, apiKeyId: found.id };
  }

  private async issueKey(
    repository: Repository<ApiKey>,
    tenantId: string,
    name: string | null,
  ): Promise<{ apiKey: ApiKey; key: string }> {
    const key = `${API_KEY_PREFIX}${randomToken(32)}`;
    const apiKey = await repository.save(
      repository.create({
        id: newId('apiKey'),
        tenantId,
        name,
        prefix: key.slice(0, 10),
        keyHash: sha256Hex(key),
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { apiKey, key };
  }
}
