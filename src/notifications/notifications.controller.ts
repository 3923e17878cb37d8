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
  @ApiOperation({ summary: 'Create a rule turning events into Telegram, Slack or WhatsApp messages' })
  @ApiEnvelope(NotificationRuleDto, { status: 201 })
  @ApiErrors(400)
  async create(@Principal() p: TenantPrincipal, @Body() body: CreateNotificationRuleDto): Promise<NotificationRuleDto> {
    return this.map(await this.rules.create(p.tenantId, body));
  }

  @Get('notification-rules')
  @ApiOperation({ summary: 'List rules' })
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
  @ApiOperation({ summary: 'One rule' })
  @ApiEnvelope(NotificationRuleDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('rule_id') id: string): Promise<NotificationRuleDto> {
    return this.map(await this.rules.get(p.tenantId, id));
  }

  @Patch('notification-rules/:rule_id')
  @ApiOperation({ summary: 'Change some fields of a rule' })
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
  @ApiOperation({ summary: 'Delete a rule; its history stays' })
  @ApiEnvelope(DeletedRuleDto)
  @ApiErrors(404)
  async remove(@Principal() p: TenantPrincipal, @Param('rule_id') id: string): Promise<DeletedRuleDto> {
    await this.rules.remove(p.tenantId, id);
    return { rule_id: id, status: 'deleted' };
  }

  @Post('notification-rules/:rule_id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Render the rule for a sample (or given) event and send it now; nothing is recorded',
    description:
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
  @ApiOperation({ summary: 'The history of notifications: sent, skipped (with the reason), failed' })
  @ApiEnvelope(NotificationDto, { list: true })
  @ApiErrors(400)
  async history(@Principal() p: TenantPrincipal, @Query() q: ListNotificationsQuery): Promise<Page<NotificationDto>> {
    const { limit, offset } = pageOf(q);
    const { items, total } = await this.notifications.list(p.tenantId, q, limit, offset);
    return new Page(items.map(mapNotification), { limit, offset, total });
  }

  @Get('notifications/:notification_id')
  @ApiOperation({ summary: 'One notification with its rendered text and the provider answer' })
  @ApiEnvelope(NotificationDto)
  @ApiErrors(404)
  async one(@Principal() p: TenantPrincipal, @Param('notification_id') id: string): Promise<NotificationDto> {
    return mapNotification(await this.notifications.get(p.tenantId, id));
  }

  private map(rule: NotificationRule): NotificationRuleDto {
    return mapRule(rule, Object.keys(this.rules.credentialsOf(rule)));
  }
}
