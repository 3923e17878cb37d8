import { NotificationDto, NotificationRuleDto } from './dto/notification-rule.dto';
import { NotificationRule } from './notification-rule.entity';
import { Notification } from './notification.entity';

export function mapRule(rule: NotificationRule, credentialsSet: string[]): NotificationRuleDto {
  return {
    rule_id: rule.id,
    name: rule.name,
    event_types: rule.eventTypes,
    conditions: rule.conditions,
    channel: rule.channel,
    target: rule.target,
    template: rule.template,
    template_id: rule.templateId,
    parse_mode: rule.parseMode,
    locale: rule.locale,
    timezone: rule.timezone,
    credentials_set: credentialsSet,
    suppression: rule.suppression,
    whatsapp_template: rule.whatsappTemplate,
    active: rule.active,
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}

export function mapNotification(n: Notification): NotificationDto {
  return {
    notification_id: n.id,
    rule_id: n.ruleId,
    event_id: n.eventId,
    event_type: n.eventType,
    channel: n.channel,
    target: n.target,
    status: n.status,
    skip_reason: n.skipReason,
    rendered_text: n.renderedText,
    provider_status: n.providerStatus,
    provider_response: n.providerResponse ?? null,
    error: n.error,
    attempts: n.attempts,
    next_attempt_at: n.nextAttemptAt?.toISOString() ?? null,
    sent_at: n.sentAt?.toISOString() ?? null,
    created_at: n.createdAt.toISOString(),
  };
}
