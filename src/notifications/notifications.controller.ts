import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page } from '../common/envelope';
import { pageOf, PageQuery } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import {
  CreateNotificationRuleDto,
  DeletedRuleDto,
  ListNotificationsQuery,
  NotificationDto,
  NotificationRuleDto,
  TestRuleDto,
  TestRuleResultDto,
  UpdateNotificationRuleDto,
} from './dto/notification-rule.dto';
import { NotificationRulesService } from './notification-rules.service';
import { NotificationRule } from './notification-rule.entity';
import { mapNotification, mapRule } from './notifications.mapper';
import { NotificationsService } from './notifications.service';
import { RuleTester } from './rule-tester.service';
import { RENDER_LIMITS } from './templates/template-engine';

@ApiTags('notifications')
@TenantAuth()
@Controller('api/v1')
export class NotificationsController {
  constructor(
    private readonly rules: NotificationRulesService,
    private readonly notifications: NotificationsService,
    private readonly tester: RuleTester,
  ) {}

  @Post('notification-rules')
  @ApiOperation({
    operationId: 'notificationRules.create',
    summary: 'Create a rule turning events into Telegram, Slack or WhatsApp messages',
    description:
      'Creates a rule: every event whose type matches `event_types` and which meets all `conditions` is rendered ' +
      'with `template` (or a built-in `template_id`) and sent to `target` on `channel`, at most once per event. ' +
      'Credentials are stored encrypted and never answered; the answer lists which are set.',
  })
  @ApiEnvelope(NotificationRuleDto, { status: 201 })
  @ApiErrors(400)
  async create(@Principal() p: TenantPrincipal, @Body() body: CreateNotificationRuleDto): Promise<NotificationRuleDto> {
    return this.map(await this.rules.create(p.tenantId, body));
  }

  @Get('notification-rules')
  @ApiOperation({
    operationId: 'notificationRules.list',
    summary: 'List rules',
    description: 'Lists the notification rules of the tenant, newest first.',
  })
  @ApiEnvelope(NotificationRuleDto, { list: true })
  @ApiErrors(400)
  async list(@Principal() p: TenantPrincipal, @Query() q: PageQuery): Promise<Page<NotificationRuleDto>> {
    const { limit, offset } = pageOf(q);
    const { items, total } = await this.rules.list(p.tenantId, limit, offset);
    return new Page(
      items.map((r) => this.map(r)),
      { limit, offset, total },
    );
  }

  @Get('notification-rules/:rule_id')
  @ApiOperation({
    operationId: 'notificationRules.get',
    summary: 'One rule',
    description: 'Answers one notification rule; its credentials are named in `credentials_set`, never shown.',
  })
  @ApiEnvelope(NotificationRuleDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('rule_id') id: string): Promise<NotificationRuleDto> {
    return this.map(await this.rules.get(p.tenantId, id));
  }

  @Patch('notification-rules/:rule_id')
  @ApiOperation({
    operationId: 'notificationRules.update',
    summary: 'Change some fields of a rule',
    description: 'Changes the fields given and keeps the others; it applies to events from then on.',
  })
  @ApiEnvelope(NotificationRuleDto)
  @ApiErrors(400, 404)
  async update(
    @Principal() p: TenantPrincipal,
    @Param('rule_id') id: string,
    @Body() body: UpdateNotificationRuleDto,
  ): Promise<NotificationRuleDto> {
    return this.map(await this.rules.update(p.tenantId, id, body));
  }

  @Delete('notification-rules/:rule_id')
  @ApiOperation({
    operationId: 'notificationRules.delete',
    summary: 'Delete a rule; its history stays',
    description: 'Deletes a notification rule; the notifications it sent stay in the history.',
  })
  @ApiEnvelope(DeletedRuleDto)
  @ApiErrors(404)
  async remove(@Principal() p: TenantPrincipal, @Param('rule_id') id: string): Promise<DeletedRuleDto> {
    await this.rules.remove(p.tenantId, id);
    return { rule_id: id, status: 'deleted' };
  }

  @Post('notification-rules/:rule_id/test')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'notificationRules.test',
    summary: 'Render the rule for a sample (or given) event and send it now; nothing is recorded',
    description:
      'Renders the rule for `event` (a sample of its first event type when omitted), sends it to the target now ' +
      'and answers the text and the provider’s answer; nothing is recorded in the history. ' +
      `Rendering is bounded: a message longer than ${RENDER_LIMITS.maxOutputChars} characters, more than ` +
      `${RENDER_LIMITS.maxIterations} #each iterations or more than ${RENDER_LIMITS.maxRenderMs} ms of rendering ` +
      'answers 422 UNPROCESSABLE naming the limit (`details[0].limit`: `output` or `work`); a real event through ' +
      'the rule ends its notification `failed` with the same reason.',
  })
  @ApiEnvelope(TestRuleResultDto)
  @ApiErrors(400, 404, 422)
  async test(
    @Principal() p: TenantPrincipal,
    @Param('rule_id') id: string,
    @Body() body: TestRuleDto,
  ): Promise<TestRuleResultDto> {
    return this.tester.test(await this.rules.get(p.tenantId, id), body.event);
  }

  @Get('notifications')
  @ApiOperation({
    operationId: 'notifications.list',
    summary: 'The history of notifications: sent, skipped (with the reason), failed',
    description:
      'Lists notifications newest first, each with its rule, event, status, the reason it was skipped, the ' +
      'rendered text and the provider’s answer; filter by status, rule, event, event type, channel and skip reason.',
  })
  @ApiEnvelope(NotificationDto, { list: true })
  @ApiErrors(400)
  async history(@Principal() p: TenantPrincipal, @Query() q: ListNotificationsQuery): Promise<Page<NotificationDto>> {
    const { limit, offset } = pageOf(q);
    const { items, total } = await this.notifications.list(p.tenantId, q, limit, offset);
    return new Page(items.map(mapNotification), { limit, offset, total });
  }

  @Get('notifications/:notification_id')
  @ApiOperation({
    operationId: 'notifications.get',
    summary: 'One notification with its rendered text and the provider answer',
    description: 'Answers one notification: its status, rendered text, attempts and the provider’s last answer.',
  })
  @ApiEnvelope(NotificationDto)
  @ApiErrors(404)
  async one(@Principal() p: TenantPrincipal, @Param('notification_id') id: string): Promise<NotificationDto> {
    return mapNotification(await this.notifications.get(p.tenantId, id));
  }

  private map(rule: NotificationRule): NotificationRuleDto {
    return mapRule(rule, Object.keys(this.rules.credentialsOf(rule)));
  }
}
