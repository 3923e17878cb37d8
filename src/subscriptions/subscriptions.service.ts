import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { headerProblems } from '../common/http-headers';
import { newId } from '../common/ids';
import { refuseNulls } from '../common/validators';
import { SecretBox } from '../common/secret-box';
import { checkDestinationUrl } from '../common/url-guard';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { templateProblems } from '../common/payload-template';
import { generateSecret, WHSEC_PREFIX } from '../common/signing';
import { CreateSubscriptionDto, UpdateSubscriptionDto } from './dto/subscription.dto';
import { selectedBy } from './event-pattern';
import { StatsDelta } from './subscription-stats';
import { nextHeaders, openHeaders, plainHeaderNames, sealAll, StoredHeaders } from './subscription-headers';
import { Subscription } from './subscription.entity';
import { SubscriptionsRepository } from './subscriptions.repository';

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface SubscriptionFilter {
  active?: boolean;
  event?: string;
  limit: number;
  offset: number;
}

/**
 * A batch's body is always the JSON array of the events' envelopes, so batching excludes a
 * payload_template or a preset (which replace the envelope): 400 naming `batch`.
 */
function refuseBatchWithBody(s: { batch: boolean; payload_template?: unknown; preset?: string | null }): void {
  if (!s.batch || (!s.payload_template && !s.preset)) return;
  const other = s.preset ? 'preset' : 'payload_template';
  throw ApiError.validation(`Set batch or ${other}, not both.`, [
    {
      field: 'batch',
      message: `batch cannot be combined with ${other}: a batch is sent as the array of the events' envelopes`,
    },
  ]);
}

/**
 * Called when a subscription stops taking events (deactivated, disabled, deleted), after the change
 * is written: the deliveries feature cancels the deliveries still waiting for it.
 */
export type SubscriptionDeactivated = (subscriptionId: string) => Promise<unknown>;

/** Owns the subscriptions table: CRUD, secrets and extra headers (sealed at rest), disabling, stats. */
@Injectable()
export class SubscriptionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SubscriptionsService.name);
  private readonly deactivationListeners: SubscriptionDeactivated[] = [];

  constructor(
    @InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>,
    private readonly box: SecretBox,
    @InjectConfig() private readonly config: AppConfig,
    private readonly rows: SubscriptionsRepository,
  ) {}

  /** Attaches a feature to every subscription that stops taking events (the deliveries feature cancels what waits). */
  onDeactivated(listener: SubscriptionDeactivated): void {
    this.deactivationListeners.push(listener);
  }

  private async deactivated(subscriptionId: string): Promise<void> {
    for (const listener of this.deactivationListeners) await listener(subscriptionId);
  }

  /**
   * Seals the extra header values that rows written before sealing still hold plain: a migration
   * cannot, it has no ENCRYPTION_KEY. Best effort: on failure the next write of a row seals it.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const sealed = await this.sealPlainHeaders();
      if (sealed > 0) this.logger.log(`sealed the plain extra header values of ${sealed} subscriptions`);
    } catch (error) {
      this.logger.warn(`could not seal plain extra header values now: ${(error as Error).message}`);
    }
  }

  /**
   * Seals every plain extra header value; returns how many rows it wrote. A row is written only if
   * its headers are still those read, so processes starting together, or a PATCH meanwhile, lose nothing.
   */
  async sealPlainHeaders(): Promise<number> {
    const rows = await this.rows.plainHeaderCandidates();
    let written = 0;
    for (const row of rows.filter((r) => plainHeaderNames(r.headers).length > 0)) {
      if (await this.rows.replaceHeaders(row.id, sealAll(this.box, row.headers), row.headers)) written += 1;
    }
    return written;
  }

  async create(tenantId: string, dto: CreateSubscriptionDto): Promise<{ subscription: Subscription; secret: string }> {
    await this.validate(dto);
    // null, like an omitted field, is no headers (as before headers were sealed)
    const headers = this.nextHeaders({}, dto.headers ?? {});
    const secret = dto.secret ?? generateSecret();
    const subscription = this.subscriptions.create({
      id: newId('subscription'),
      tenantId,
      name: dto.name,
      url: dto.url,
      events: [...new Set(dto.events)],
      active: dto.active ?? true,
      description: dto.description ?? null,
      metadata: dto.metadata ?? {},
      headers,
      timeoutMs: dto.timeout_ms ?? 10_000,
      rateLimitPerSecond: dto.rate_limit_per_second ?? null,
      payloadTemplate: dto.payload_template ?? null,
      preset: dto.preset ?? null,
      ordered: dto.ordered ?? false,
      signatureFormat: dto.signature_format ?? 'timestamped',
      batchMaxEvents: dto.batch?.max_events ?? null,
      batchMaxWaitMs: dto.batch?.max_wait_ms ?? null,
      secretSealed: this.box.seal(secret),
    });
    return { subscription: await this.subscriptions.save(subscription), secret };
  }

  async get(tenantId: string, id: string): Promise<Subscription> {
    const subscription = await this.subscriptions.findOneBy({ id, tenantId, deletedAt: IsNull() });
    if (!subscription) throw ApiError.notFound('Webhook', id);
    return subscription;
  }

  async list(tenantId: string, filter: SubscriptionFilter): Promise<{ items: Subscription[]; total: number }> {
    const query = this.subscriptions
      .createQueryBuilder('s')
      .where('s.tenant_id = :tenantId AND s.deleted_at IS NULL', { tenantId })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC');
    if (filter.active !== undefined) query.andWhere('s.active = :active', { active: filter.active });
    if (filter.event === undefined) {
      const [items, total] = await query.skip(filter.offset).take(filter.limit).getManyAndCount();
      return { items, total };
    }
    const matching = selectedBy(await query.getMany(), filter.event);
    return { items: matching.slice(filter.offset, filter.offset + filter.limit), total: matching.length };
  }

  async update(tenantId: string, id: string, dto: UpdateSubscriptionDto): Promise<Subscription> {
    const nulls = refuseNulls(dto, [
      'name',
      'url',
      'events',
      'secret',
      'active',
      'metadata',
      'headers',
      'timeout_ms',
      'ordered',
      'signature_format',
    ]);
    if (nulls.length > 0) throw ApiError.validation('Some fields cannot be null.', nulls);
    const subscription = await this.get(tenantId, id);
    await this.validate({ ...dto, url: dto.url ?? undefined, headers: undefined }, dto.headers);
    const merged: Partial<Subscription> = {
      name: dto.name,
      url: dto.url,
      events: dto.events ? [...new Set(dto.events)] : undefined,
      description: dto.description,
      metadata: dto.metadata,
      // plain values stored before headers were sealed are sealed now, whatever the PATCH changes
      headers: this.nextHeaders(subscription.headers, dto.headers),
      timeoutMs: dto.timeout_ms,
      rateLimitPerSecond: dto.rate_limit_per_second,
      payloadTemplate: dto.payload_template,
      preset: dto.preset,
      ordered: dto.ordered,
      signatureFormat: dto.signature_format,
      // null turns batching off
      batchMaxEvents: dto.batch === undefined ? undefined : (dto.batch?.max_events ?? null),
      batchMaxWaitMs: dto.batch === undefined ? undefined : (dto.batch?.max_wait_ms ?? null),
      secretSealed: dto.secret === undefined ? undefined : this.box.seal(dto.secret),
    };
    for (const [key, value] of Object.entries(merged)) {
      if (value !== undefined) (subscription as unknown as Record<string, unknown>)[key] = value;
    }
    if (subscription.payloadTemplate && subscription.preset) {
      throw ApiError.validation('Set payload_template or preset, not both.', [
        { field: 'preset', message: 'preset and payload_template exclude each other' },
      ]);
    }
    refuseBatchWithBody({
      batch: subscription.batchMaxEvents !== null,
      payload_template: subscription.payloadTemplate,
      preset: subscription.preset,
    });
    if (dto.active !== undefined) this.applyActive(subscription, dto.active);
    const saved = await this.subscriptions.save(subscription);
    if (!saved.active) await this.deactivated(saved.id);
    return saved;
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const subscription = await this.get(tenantId, id);
    await this.subscriptions.update({ id: subscription.id }, { deletedAt: () => 'now()', active: false });
    await this.deactivated(subscription.id);
  }

  async toggle(tenantId: string, id: string): Promise<Subscription> {
    const subscription = await this.get(tenantId, id);
    this.applyActive(subscription, !subscription.active);
    const saved = await this.subscriptions.save(subscription);
    if (!saved.active) await this.deactivated(saved.id);
    return saved;
  }

  /** A new secret; the old one keeps signing beside it for 24 h. */
  async rotateSecret(
    tenantId: string,
    id: string,
    secret?: string,
  ): Promise<{ subscription: Subscription; secret: string }> {
    const subscription = await this.get(tenantId, id);
    const next = secret ?? generateSecret();
    subscription.previousSecretSealed = subscription.secretSealed;
    subscription.previousSecretExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
    subscription.secretSealed = this.box.seal(next);
    return { subscription: await this.subscriptions.save(subscription), secret: next };
  }

  /** The secrets that sign now: the current one, then the previous one while its overlap lasts. */
  signingSecrets(subscription: Subscription, now = new Date()): string[] {
    const secrets = [this.box.open(subscription.secretSealed)];
    if (
      subscription.previousSecretSealed &&
      subscription.previousSecretExpiresAt &&
      subscription.previousSecretExpiresAt > now
    ) {
      secrets.push(this.box.open(subscription.previousSecretSealed));
    }
    return secrets;
  }

  /** The extra headers to send with a delivery, opened; throws when ENCRYPTION_KEY cannot open them. */
  extraHeaders(subscription: Pick<Subscription, 'headers'>): Record<string, string> {
    return openHeaders(this.box, subscription.headers);
  }

  /** Active subscriptions of a tenant whose patterns match `eventType`. */
  async matching(tenantId: string, eventType: string): Promise<Subscription[]> {
    const active = await this.subscriptions.find({ where: { tenantId, active: true, deletedAt: IsNull() } });
    return selectedBy(active, eventType);
  }

  /** Loads a subscription by id alone, for workers holding a delivery (deleted ones included). */
  async findForDelivery(id: string): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ id });
  }

  /** Disables an active subscription; false when it was not active. Cancels its pending deliveries. */
  async disable(id: string, reason: string): Promise<boolean> {
    const result = await this.subscriptions.update(
      { id, active: true },
      { active: false, disabledReason: reason, disabledAt: () => 'now()' },
    );
    if (!result.affected) return false;
    await this.deactivated(id);
    return true;
  }

  /**
   * Applies the stats changes of several subscriptions in one statement (in `manager`'s transaction
   * when it has one), locking the rows in id order so that two writers never deadlock; returns the
   * failure streak of each row written.
   */
  async applyStats(
    manager: EntityManager,
    deltas: Map<string, StatsDelta>,
  ): Promise<Map<string, { consecutiveDead: number; failingSince: Date | null }>> {
    const streaks = new Map<string, { consecutiveDead: number; failingSince: Date | null }>();
    if (deltas.size === 0) return streaks;
    const rows = await this.rows.applyStats(manager, deltas);
    for (const row of rows) {
      streaks.set(row.id, { consecutiveDead: row.consecutive_dead, failingSince: row.failing_since });
    }
    return streaks;
  }

  private applyActive(subscription: Subscription, active: boolean): void {
    subscription.active = active;
    if (active) {
      subscription.disabledReason = null;
      subscription.disabledAt = null;
      subscription.consecutiveDead = 0;
      subscription.failingSince = null;
    }
  }

  /** `stored` after a create or PATCH naming `given` (see nextHeaders); 400 when a kept value is missing. */
  private nextHeaders(stored: StoredHeaders, given: Record<string, string | null> = {}): StoredHeaders {
    const { headers, problems } = nextHeaders(this.box, stored, given);
    if (problems.length > 0) throw ApiError.validation('Some headers are invalid.', problems);
    return headers;
  }

  /** Checks what class-validator cannot; `patchHeaders` are the headers of a PATCH (null removes one). */
  private async validate(
    dto: Partial<CreateSubscriptionDto>,
    patchHeaders?: Record<string, string | null>,
  ): Promise<void> {
    const headers = patchHeaders ?? dto.headers;
    const headerDetails = headers ? headerProblems(headers, { patch: patchHeaders !== undefined }) : [];
    if (headerDetails.length > 0) {
      const names = headerDetails.map((d) => d.field).join(', ');
      throw ApiError.validation(`Some headers are invalid: check ${names}.`, headerDetails);
    }
    if (dto.url !== undefined) {
      const problem = await checkDestinationUrl(dto.url, {
        allowHttp: this.config.allowHttpUrls,
        allowPrivate: this.config.allowPrivateUrls,
      });
      if (problem) throw ApiError.validation(`The url is refused: ${problem}.`, [{ field: 'url', message: problem }]);
    }
    if (dto.payload_template) {
      const problems = templateProblems(dto.payload_template);
      if (problems.length > 0) {
        throw ApiError.validation(
          'The payload_template is invalid.',
          problems.map((message) => ({ field: 'payload_template', message })),
        );
      }
    }
    if (dto.payload_template && dto.preset) {
      throw ApiError.validation('Set payload_template or preset, not both.', [
        { field: 'preset', message: 'preset and payload_template exclude each other' },
      ]);
    }
    refuseBatchWithBody({ batch: Boolean(dto.batch), payload_template: dto.payload_template, preset: dto.preset });
    if (
      dto.secret?.startsWith(WHSEC_PREFIX) &&
      !/^[A-Za-z0-9+/]{22,}={0,2}$/.test(dto.secret.slice(WHSEC_PREFIX.length))
    ) {
      throw ApiError.validation('The secret is invalid.', [
        { field: 'secret', message: 'a secret starting with whsec_ must continue with base64 of at least 16 bytes' },
      ]);
    }
    if (dto.preset === 'telegram' && dto.url !== undefined && !this.telegramChatId(dto)) {
      throw ApiError.validation('The telegram preset needs a chat id.', [
        {
          field: 'metadata.chat_id',
          message: 'set metadata.chat_id or chat_id in the url query for the telegram preset',
        },
      ]);
    }
  }

  private telegramChatId(dto: Partial<CreateSubscriptionDto>): boolean {
    const chatId = dto.metadata?.chat_id;
    if (typeof chatId === 'string' || typeof chatId === 'number') return true;
    try {
      return new URL(dto.url!).searchParams.has('chat_id');
    } catch {
      return false;
    }
  }
}
