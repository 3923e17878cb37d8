import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { CountNotification } from '../observability/instrument';
import { HttpSender } from '../common/http-sender';
import type { Event } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { ChannelMessage, ChannelProvider } from './channels/channel';
import { SlackChannel } from './channels/slack.channel';
import { TelegramChannel } from './channels/telegram.channel';
import { WhatsAppChannel } from './channels/whatsapp.channel';
import { valueAt } from './conditions';
import { isBookingEvent, messageContext, phoneDigits } from './message-context';
import { isTargetPath, NotificationRulesService } from './notification-rules.service';
import { NotificationRule } from './notification-rule.entity';
import { Notification } from './notification.entity';
import { NotificationRecorder, Outcome } from './notification-recorder';
import { NOTIFICATION_QUEUE } from './notification.work';
import { builtinTemplate, BuiltinTemplateId } from './templates/builtin';
import { renderTemplate, TelegramParseMode, TemplateError, TemplateLimitError } from './templates/template-engine';
import { Failure } from '../work/retry-policy';

const DEFAULT_BOT_MARKER = '#bot';
const DEFAULT_ACTIVE_MINUTES = 5;

export type { Outcome } from './notification-recorder';

/** A message ready to go: its text, its target and, for a WhatsApp template message, the rendered parameters. */
interface Rendered {
  status: 'rendered';
  text: string;
  target: string;
  parameters?: string[];
}

/** Sends notifications: suppression, target, rendering, the channel, and the record of what happened. */
@Injectable()
export class Notifier implements OnApplicationShutdown {
  /** For Telegram and WhatsApp: their base URLs are the operator's (TELEGRAM_API_URL, WHATSAPP_API_URL), http allowed. */
  private readonly providerSender: HttpSender;
  /** For Slack: its URLs are the tenant's (the rule's target, or a path into the event), so ALLOW_HTTP_URLS applies. */
  private readonly targetSender: HttpSender;
  private readonly channels: Record<string, ChannelProvider>;

  constructor(
    private readonly events: EventsRepository,
    private readonly tenants: TenantsRepository,
    private readonly rules: NotificationRulesService,
    private readonly recorder: NotificationRecorder,
    @InjectQueue(NOTIFICATION_QUEUE) private readonly queue: Queue,
    @InjectConfig() config: AppConfig,
  ) {
    // both refuse private addresses at every connection unless ALLOW_PRIVATE_URLS (tests and private setups)
    this.providerSender = new HttpSender({ allowPrivate: config.allowPrivateUrls, allowHttp: true });
    this.targetSender = new HttpSender({ allowPrivate: config.allowPrivateUrls, allowHttp: config.allowHttpUrls });
    this.channels = {
      telegram: new TelegramChannel(config.telegramApiUrl, this.providerSender),
      slack: new SlackChannel(this.targetSender),
      whatsapp: new WhatsAppChannel(config.whatsappApiUrl, this.providerSender),
    };
  }

  /** After the queue has drained its active jobs (closing twice is harmless), so no send meets a closed client. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.providerSender.close();
    await this.targetSender.close();
  }

  /**
   * Claims, sends and records one notification. An unexpected error on the way (a lost database, a bug)
   * gives it back, and too many give-backs in a row end it `failed` (see NotificationRecorder).
   */
  @CountNotification()
  async run(notificationId: string): Promise<Notification | null> {
    const notification = await this.recorder.claim(notificationId);
    if (!notification) return null;
    const ended = await this.recorder.endIfTakenBackTooOften(notification);
    if (ended !== undefined) return ended;
    try {
      const rule = await this.rules.findById(notification.ruleId);
      const event = await this.events.findById(notification.eventId);
      const outcome: Outcome =
        !rule || !rule.active || rule.deletedAt || !event
          ? { status: 'skipped', reason: 'rule_inactive' }
          : await this.decideAndSend(rule, event);
      return await this.recorder.record(notification, outcome);
    } catch (error) {
      return this.recorder.giveBack(notification, error);
    }
  }

  /** Renders and sends one message for a rule and an event without recording it (POST /notification-rules/{id}/test). */
  async trySend(rule: NotificationRule, event: Event): Promise<Outcome> {
    const rendered = await this.render(rule, event);
    return rendered.status === 'rendered' ? this.send(rule, rendered) : rendered;
  }

  private async decideAndSend(rule: NotificationRule, event: Event): Promise<Outcome> {
    if (event.metadata.stale === true) return { status: 'skipped', reason: 'stale' };
    const suppressed = await this.suppressed(rule, event);
    if (suppressed) return { status: 'skipped', reason: suppressed };
    const rendered = await this.render(rule, event);
    return rendered.status === 'rendered' ? this.send(rule, rendered) : rendered;
  }

  /** Booking suppression (docs/api.md): made by our bot, client active lately, no phone. */
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
  private clientActive(tenantId: string, phone: string, minutes: number): Promise<boolean> {
    return this.events.messageReceivedFrom(tenantId, phone, minutes);
  }

  /** The target and the message; a template that fails or goes over a render limit makes a `failed` outcome. */
  private async render(
    rule: NotificationRule,
    event: Event,
  ): Promise<Rendered | Exclude<Outcome, { status: 'sent' | 'retry' }>> {
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
    const tenant = await this.tenants.findById(rule.tenantId);
    const locale = rule.locale ?? tenant?.locale ?? 'en';
    const source = rule.template ?? builtinTemplate(rule.templateId as BuiltinTemplateId, locale);
    const previous = isBookingEvent(event.eventType) ? await this.events.previousOfEntity(event) : null;
    try {
      const text = renderTemplate(source, messageContext(event, previous), {
        channel: rule.channel,
        timezone: rule.timezone ?? tenant?.timezone ?? 'UTC',
        locale,
        parseMode: (rule.parseMode as TelegramParseMode | null) ?? undefined,
      });
      return { status: 'rendered', text, target: to, parameters: this.whatsappParameters(rule, event) };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const limit = error instanceof TemplateLimitError ? { limit: { kind: error.limit, message: error.message } } : {};
      return { status: 'failed', error: `template failed: ${error.message}`, target: to, ...limit };
    }
  }

  /** The body parameters of a WhatsApp template message, each rendered from the event; undefined for other messages. */
  private whatsappParameters(rule: NotificationRule, event: Event): string[] | undefined {
    if (rule.channel !== 'whatsapp' || !rule.whatsappTemplate) return undefined;
    const context = messageContext(event, null);
    const options = { channel: 'whatsapp' as const, timezone: 'UTC', locale: rule.locale ?? 'en' };
    return rule.whatsappTemplate.parameters.map((p) => renderTemplate(p, context, options));
  }

  private async send(rule: NotificationRule, rendered: Rendered): Promise<Outcome> {
    const { text, target, parameters } = rendered;
    const message: ChannelMessage = {
      target,
      text,
      parseMode:
        rule.channel === 'telegram' ? ((rule.parseMode as TelegramParseMode | null) ?? 'MarkdownV2') : undefined,
    };
    if (rule.whatsappTemplate && parameters) {
      message.whatsappTemplate = {
        name: rule.whatsappTemplate.name,
        language: rule.whatsappTemplate.language,
        parameters,
      };
    }
    const result = await this.channels[rule.channel].send(this.rules.credentialsOf(rule), message);
    if (result.ok) return { status: 'sent', text, target, result };
    if (result.retryable) {
      return { status: 'retry', failure: Failure.retryAfter(result.retryAfterMs), text, target, result };
    }
    return { status: 'failed', error: result.error ?? 'the provider refused the message', text, target, result };
  }
}
