import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiError, ErrorDetail } from '../common/api-error';
import { newId } from '../common/ids';
import { SecretBox } from '../common/secret-box';
import { refuseNulls } from '../common/validators';
import { checkDestinationUrl } from '../common/url-guard';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { ChannelCredentials, channelProblems } from './channels/channel';
import { conditionProblems, isValidPath } from './conditions';
import { CreateNotificationRuleDto, UpdateNotificationRuleDto } from './dto/notification-rule.dto';
import { NotificationRule } from './notification-rule.entity';
import { assertTemplateCompiles, TemplateError } from './templates/template-engine';

/** A target that points into the event rather than naming a fixed chat, URL or phone. */
export function isTargetPath(target: string): boolean {
  return /^(data|metadata|event)\./.test(target) && isValidPath(target);
}

/** What the router needs of a rule to match events against it. */
export type RoutingRule = Pick<NotificationRule, 'id' | 'eventTypes' | 'conditions' | 'channel'>;

/** Owns the notification_rules table; credentials sealed at rest. */
@Injectable()
export class NotificationRulesService {
  constructor(
    @InjectRepository(NotificationRule) private readonly rules: Repository<NotificationRule>,
    private readonly box: SecretBox,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(tenantId: string, dto: CreateNotificationRuleDto): Promise<NotificationRule> {
    const credentials = dto.credentials ?? {};
    await this.validate({ ...dto, credentials });
    const rule = this.rules.create({
      id: newId('rule'),
      tenantId,
      name: dto.name,
      eventTypes: [...new Set(dto.event_types)],
      conditions: dto.conditions ?? [],
      channel: dto.channel,
      target: dto.target,
      template: dto.template ?? null,
      templateId: dto.template_id ?? null,
      parseMode: dto.parse_mode ?? null,
      locale: dto.locale ?? null,
      timezone: dto.timezone ?? null,
      credentialsSealed: Object.keys(credentials).length > 0 ? this.box.seal(JSON.stringify(credentials)) : null,
      suppression: dto.suppression ?? {},
      whatsappTemplate: dto.whatsapp_template ?? null,
      active: dto.active ?? true,
    });
    return this.rules.save(rule);
  }

  async get(tenantId: string, id: string): Promise<NotificationRule> {
    const rule = await this.rules.findOneBy({ id, tenantId, deletedAt: IsNull() });
    if (!rule) throw ApiError.notFound('Notification rule', id);
    return rule;
  }

  async list(tenantId: string, limit: number, offset: number) {
    const [items, total] = await this.rules.findAndCount({
      where: { tenantId, deletedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  async update(tenantId: string, id: string, dto: UpdateNotificationRuleDto): Promise<NotificationRule> {
    const nulls = refuseNulls(dto, ['name', 'event_types', 'conditions', 'channel', 'target', 'active', 'suppression']);
    if (nulls.length > 0) throw ApiError.validation('Some fields cannot be null.', nulls);
    const rule = await this.get(tenantId, id);
    const credentials = dto.credentials ?? this.credentialsOf(rule);
    const merged: CreateNotificationRuleDto = {
      name: dto.name ?? rule.name,
      event_types: dto.event_types ?? rule.eventTypes,
      conditions: dto.conditions ?? rule.conditions,
      channel: dto.channel ?? rule.channel,
      target: dto.target ?? rule.target,
      template: dto.template_id ? undefined : (dto.template ?? rule.template ?? undefined),
      template_id: dto.template ? undefined : (dto.template_id ?? rule.templateId ?? undefined),
      parse_mode: dto.parse_mode ?? (rule.parseMode as 'MarkdownV2' | 'HTML' | null) ?? undefined,
      whatsapp_template:
        (dto.whatsapp_template === undefined ? rule.whatsappTemplate : dto.whatsapp_template) ?? undefined,
    };
    await this.validate({ ...merged, credentials });
    Object.assign(rule, {
      name: merged.name,
      eventTypes: [...new Set(merged.event_types)],
      conditions: merged.conditions,
      channel: merged.channel,
      target: merged.target,
      template: merged.template ?? null,
      templateId: merged.template_id ?? null,
      parseMode: merged.parse_mode ?? null,
      locale: dto.locale === undefined ? rule.locale : dto.locale,
      timezone: dto.timezone === undefined ? rule.timezone : dto.timezone,
      credentialsSealed: dto.credentials ? this.box.seal(JSON.stringify(dto.credentials)) : rule.credentialsSealed,
      suppression: dto.suppression ?? rule.suppression,
      whatsappTemplate: dto.whatsapp_template === undefined ? rule.whatsappTemplate : dto.whatsapp_template,
      active: dto.active ?? rule.active,
    });
    return this.rules.save(rule);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const rule = await this.get(tenantId, id);
    await this.rules.update({ id: rule.id }, { deletedAt: () => 'now()', active: false });
  }

  /** Active rules of a tenant (the router filters them by pattern and conditions). */
  async activeRules(tenantId: string, manager?: EntityManager): Promise<NotificationRule[]> {
    // inside a transaction, read through it: a second pool connection per publish can exhaust the pool
    const repository = manager ? manager.getRepository(NotificationRule) : this.rules;
    return repository.find({ where: { tenantId, active: true, deletedAt: IsNull() } });
  }

  async findById(id: string): Promise<NotificationRule | null> {
    return this.rules.findOneBy({ id });
  }

  credentialsOf(rule: NotificationRule): ChannelCredentials {
    return rule.credentialsSealed ? (JSON.parse(this.box.open(rule.credentialsSealed)) as ChannelCredentials) : {};
  }

  private async validate(dto: CreateNotificationRuleDto & { credentials: ChannelCredentials }): Promise<void> {
    const problems: ErrorDetail[] = [...conditionProblems(dto.conditions ?? [])];
    if (!dto.template && !dto.template_id) {
      problems.push({ field: 'template', message: 'give template (a Handlebars source) or template_id (a built-in)' });
    }
    if (dto.template && dto.template_id) {
      problems.push({ field: 'template_id', message: 'template and template_id exclude each other' });
    }
    if (dto.template) problems.push(...templateProblems('template', dto.template));
    dto.whatsapp_template?.parameters.forEach((parameter, i) =>
      problems.push(...templateProblems(`whatsapp_template.parameters[${i}]`, parameter)),
    );
    const fixedTarget = isTargetPath(dto.target) ? null : dto.target;
    if (/^(data|metadata|event)\./.test(dto.target) && !isTargetPath(dto.target)) {
      problems.push({ field: 'target', message: `"${dto.target}" is not a dotted path such as data.client.phone` });
    }
    const channel = channelProblems(dto.channel, dto.credentials, fixedTarget, {
      allowHttp: this.config.allowHttpUrls,
    });
    problems.push(...channel.map((p) => ({ field: p.field, message: p.message })));
    if (dto.channel === 'slack' && fixedTarget && channel.length === 0) {
      const refused = await checkDestinationUrl(fixedTarget, {
        allowHttp: this.config.allowHttpUrls,
        allowPrivate: this.config.allowPrivateUrls,
      });
      if (refused) problems.push({ field: 'target', message: refused });
    }
    if (dto.timezone !== undefined && !isTimeZone(dto.timezone)) {
      problems.push({ field: 'timezone', message: `"${dto.timezone}" is not an IANA time zone such as Europe/Moscow` });
    }
    if (problems.length > 0) throw ApiError.validation('The notification rule is invalid.', problems);
  }
}

/** The compile error of a template source, as a problem of `field`; none when it compiles. */
function templateProblems(field: string, source: string): ErrorDetail[] {
  try {
    assertTemplateCompiles(source);
    return [];
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return [{ field, message: error.message }];
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
