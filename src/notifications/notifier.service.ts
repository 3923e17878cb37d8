import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource, Repository } from 'typeorm';
import { addPointerJobs } from '../common/queue-jobs';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { HttpSender } from '../deliveries/http-sender';
import { Event } from '../events/event.entity';
import { Tenant } from '../tenants/tenant.entity';
import { ChannelMessage, ChannelProvider, ChannelResult } from './channels/channel';
import { SlackChannel } from './channels/slack.channel';
import { TelegramChannel } from './channels/telegram.channel';
import { WhatsAppChannel } from './channels/whatsapp.channel';
import { valueAt } from './conditions';
import { isBookingEvent, messageContext, phoneDigits } from './message-context';
import { isTargetPath, NotificationRulesService } from './notification-rules.service';
import { NotificationRule } from './notification-rule.entity';
import { Notification } from './notification.entity';
import { NOTIFICATION_QUEUE, NOTIFY_JOB, NotifyJob } from './notification.queue';
import { builtinTemplate, BuiltinTemplateId } from './templates/builtin';
import { renderTemplate, TelegramParseMode, TemplateError } from './templates/template-engine';

/** Delays between sends after a retryable failure without a provider hint; then the notification fails. */
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];
const LEASE_MS = 60_000;
const DEFAULT_BOT_MARKER = '#bot';
const DEFAULT_ACTIVE_MINUTES = 5;

export type Outcome =
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string; text?: string | null; target?: string | null; result?: ChannelResult }
  | { status: 'sent' | 'retry'; text: string; target: string; result: ChannelResult };

type Rendered = Exclude<Outcome, { status: 'sent' | 'retry' }> | { status: 'rendered'; text: string; target: string };

function asJsonObject(response: unknown): object | null {
  if (response === undefined || response === null) return null;
  return typeof response === 'object' && !Array.isArray(response) ? response : { text: response };
}

/** Sends notifications: suppression, target, rendering, the channel, and the record of what happened. */
@Injectable()
export class Notifier implements OnApplicationShutdown {
  private readonly logger = new Logger(Notifier.name);
  private readonly sender: HttpSender;
  private readonly channels: Record<string, ChannelProvider>;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(Event) private readonly events: Repository<Event>,
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    private readonly rules: NotificationRulesService,
    @InjectQueue(NOTIFICATION_QUEUE) private readonly queue: Queue<NotifyJob>,
    @InjectConfig() config: AppConfig,
  ) {
    // provider APIs are public hosts, except where tests and private setups point them at local fakes
    this.sender = new HttpSender({ allowPrivate: config.allowPrivateUrls, allowHttp: true });
    this.channels = {
      telegram: new TelegramChannel(config.telegramApiUrl, this.sender),
      slack: new SlackChannel(this.sender),
      whatsapp: new WhatsAppChannel(config.whatsappApiUrl, this.sender),
    };
  }

  /** After the queue has drained its active jobs (closing twice is harmless), so no send meets a closed client. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.sender.close();
  }

  async run(notificationId: string): Promise<Notification | null> {
    const notification = await this.claim(notificationId);
    if (!notification) return null;
    const rule = await this.rules.findById(notification.ruleId);
    const event = await this.events.findOneBy({ id: notification.eventId });
    const outcome: Outcome =
      !rule || !rule.active || rule.deletedAt || !event
        ? { status: 'skipped', reason: 'rule_inactive' }
        : await this.decideAndSend(rule, event);
    return this.record(notification, outcome);
  }

  /** Renders and sends one message for a rule and an event without recording it (POST /notification-rules/{id}/test). */
  async trySend(rule: NotificationRule, event: Event): Promise<Outcome> {
    const rendered = await this.render(rule, event);
    return rendered.status === 'rendered' ? this.send(rule, rendered.text, rendered.target, event) : rendered;
  }

  private async decideAndSend(rule: NotificationRule, event: Event): Promise<Outcome> {
    if (event.metadata.stale === true) return { status: 'skipped', reason: 'stale' };
    const suppressed = await this.suppressed(rule, event);
    if (suppressed) return { status: 'skipped', reason: suppressed };
    const rendered = await this.render(rule, event);
    return rendered.status === 'rendered' ? this.send(rule, rendered.text, rendered.target, event) : rendered;
  }

  /** Booking suppression (CONTRACT §6): made by our bot, client active lately, no phone. */
  private async suppressed(rule: NotificationRule, event: Event): Promise<string | null> {
    if (!isBookingEvent(event.eventType) || rule.suppression.enabled === false) return null;
    const context = messageContext(event, null) as {
      booking: { comment: string | null; client: { phone: string | null } };
    };
    const marker = rule.suppression.bot_marker ?? DEFAULT_BOT_MARKER;
    if (context.booking.comment?.includes(marker)) return 'made_by_bot';
    const phone = phoneDigits(context.booking.client.phone);
    if (!phone) return 'no_phone';
    const minutes = rule.suppression.active_client_minutes ?? DEFAULT_ACTIVE_MINUTES;
    if (minutes > 0 && (await this.clientActive(event.tenantId, phone, minutes))) return 'client_active';
    return null;
  }

  /** Did the client write to us (an inbound message.received with their phone) in the last `minutes`? */
  private async clientActive(tenantId: string, phone: string, minutes: number): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM events
       WHERE tenant_id = $1 AND event_type = 'message.received' AND created_at > now() - $2 * interval '1 minute'
         AND regexp_replace(coalesce(data::jsonb ->> 'phone', data::jsonb #>> '{from,phone}', data::jsonb #>> '{contact,phone}', ''), '\\D', '', 'g') = $3
       LIMIT 1`,
      [tenantId, minutes, phone],
    );
    return rows.length > 0;
  }

  private async render(rule: NotificationRule, event: Event): Promise<Rendered> {
    const view = {
      event_id: event.id,
      event_type: event.eventType,
      entity_key: event.entityKey,
      data: event.data,
      metadata: event.metadata,
    };
    const target = isTargetPath(rule.target) ? valueAt(view, rule.target) : rule.target;
    if (target === undefined || target === null || target === '') return { status: 'skipped', reason: 'no_target' };
    const to = typeof target === 'object' ? JSON.stringify(target) : `${target as string}`;
    const tenant = await this.tenants.findOneBy({ id: rule.tenantId });
    const locale = rule.locale ?? tenant?.locale ?? 'en';
    const source = rule.template ?? builtinTemplate(rule.templateId as BuiltinTemplateId, locale);
    const previous = isBookingEvent(event.eventType) ? await this.previousOf(event) : null;
    try {
      const text = renderTemplate(source, messageContext(event, previous), {
        channel: rule.channel,
        timezone: rule.timezone ?? tenant?.timezone ?? 'UTC',
        locale,
        parseMode: (rule.parseMode as TelegramParseMode | null) ?? undefined,
      });
      return { status: 'rendered', text, target: to };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return { status: 'failed', error: `template failed: ${error.message}`, target: to };
    }
  }

  /** The latest earlier event of the same entity, for "was → now" in change notices. */
  private async previousOf(event: Event): Promise<Event | null> {
    if (!event.entityKey) return null;
    return this.events
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId AND e.entity_key = :key AND e.id <> :id', {
        tenantId: event.tenantId,
        key: event.entityKey,
        id: event.id,
      })
      .andWhere('e.created_at <= :at', { at: event.createdAt })
      .orderBy('e.created_at', 'DESC')
      .getOne();
  }

  private async send(rule: NotificationRule, text: string, target: string, event: Event): Promise<Outcome> {
    const message: ChannelMessage = {
      target,
      text,
      parseMode:
        rule.channel === 'telegram' ? ((rule.parseMode as TelegramParseMode | null) ?? 'MarkdownV2') : undefined,
    };
    if (rule.channel === 'whatsapp' && rule.whatsappTemplate) {
      const context = messageContext(event, null);
      message.whatsappTemplate = {
        name: rule.whatsappTemplate.name,
        language: rule.whatsappTemplate.language,
        parameters: rule.whatsappTemplate.parameters.map((p) =>
          renderTemplate(p, context, { channel: 'whatsapp', timezone: 'UTC', locale: rule.locale ?? 'en' }),
        ),
      };
    }
    const result = await this.channels[rule.channel].send(this.rules.credentialsOf(rule), message);
    if (result.ok) return { status: 'sent', text, target, result };
    if (result.retryable) return { status: 'retry', text, target, result };
    return { status: 'failed', error: result.error ?? 'the provider refused the message', text, target, result };
  }

  private async claim(id: string): Promise<Notification | null> {
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE notifications SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond'
       WHERE id = $1 AND ((status = 'queued' AND next_attempt_at <= now() + interval '1 second')
         OR (status = 'sending' AND next_attempt_at < now()))
       RETURNING id`,
      [id, LEASE_MS],
    );
    return rows.length === 0 ? null : this.notifications.findOneBy({ id });
  }

  private async record(notification: Notification, outcome: Outcome): Promise<Notification | null> {
    const attempts = notification.attempts + (outcome.status === 'skipped' ? 0 : 1);
    const base = { attempts, nextAttemptAt: null as Date | null };
    if (outcome.status === 'skipped') {
      await this.notifications.update(
        { id: notification.id },
        { ...base, status: 'skipped', skipReason: outcome.reason },
      );
      return this.notifications.findOneBy({ id: notification.id });
    }
    const provider = outcome.result
      ? { providerStatus: outcome.result.httpStatus, providerResponse: asJsonObject(outcome.result.response) }
      : {};
    const common = { ...base, ...provider, renderedText: outcome.text ?? null, target: outcome.target ?? null };
    if (outcome.status === 'sent') {
      await this.notifications.update(
        { id: notification.id },
        { ...common, status: 'sent', error: null, sentAt: new Date() },
      );
    } else if (outcome.status === 'retry' && attempts <= RETRY_DELAYS_MS.length) {
      const nextAttemptAt = new Date(Date.now() + (outcome.result.retryAfterMs ?? RETRY_DELAYS_MS[attempts - 1]));
      await this.notifications.update(
        { id: notification.id },
        { ...common, status: 'queued', error: outcome.result.error, nextAttemptAt },
      );
      await addPointerJobs(
        this.queue,
        NOTIFY_JOB,
        [{ jobId: `${notification.id}:${attempts}`, data: { notificationId: notification.id }, dueAt: nextAttemptAt }],
        this.logger,
      );
    } else {
      const error =
        outcome.status === 'failed' ? outcome.error : `gave up after ${attempts} attempts: ${outcome.result.error}`;
      await this.notifications.update({ id: notification.id }, { ...common, status: 'failed', error });
    }
    return this.notifications.findOneBy({ id: notification.id });
  }
}
