import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import {
  CreateSubscriptionDto,
  DeletedSubscriptionDto,
  ListSubscriptionsQuery,
  RotatedSecretDto,
  SubscriptionDto,
  SubscriptionWithSecretDto,
  UpdateSubscriptionDto,
} from './dto/subscription.dto';
import { mapSubscription } from './subscriptions.mapper';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('webhooks')
@TenantAuth()
@Controller('api/v1/webhooks')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook endpoint; the answer holds its secret (shown once)' })
  @ApiEnvelope(SubscriptionWithSecretDto, { status: 201 })
  @ApiErrors(400)
  create(@Principal() p: TenantPrincipal, @Body() body: CreateSubscriptionDto): Promise<SubscriptionWithSecretDto> {
    return this.createOne(p, body);
  }

  @Post('register')
  @ApiOperation({ summary: 'Alias of POST /webhooks' })
  @ApiEnvelope(SubscriptionWithSecretDto, { status: 201 })
  @ApiErrors(400)
  register(@Principal() p: TenantPrincipal, @Body() body: CreateSubscriptionDto): Promise<SubscriptionWithSecretDto> {
    return this.createOne(p, body);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints with their stats' })
  @ApiEnvelope(SubscriptionDto, { list: true })
  @ApiErrors(400)
  async list(@Principal() p: TenantPrincipal, @Query() query: ListSubscriptionsQuery): Promise<Page<SubscriptionDto>> {
    const { limit, offset } = pageOf(query);
    const active = query.active === undefined ? undefined : query.active === 'true';
    const { items, total } = await this.subscriptions.list(p.tenantId, { active, event: query.event, limit, offset });
    return new Page(items.map(mapSubscription), { limit, offset, total });
  }

  @Get(':webhook_id')
  @ApiOperation({ summary: 'One webhook endpoint with its stats' })
  @ApiEnvelope(SubscriptionDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('webhook_id') id: string): Promise<SubscriptionDto> {
    return mapSubscription(await this.subscriptions.get(p.tenantId, id));
  }

  @Patch(':webhook_id')
  @ApiOperation({ summary: 'Change some fields; disabling cancels queued deliveries' })
  @ApiEnvelope(SubscriptionDto)
  @ApiErrors(400, 404)
  async update(
    @Principal() p: TenantPrincipal,
    @Param('webhook_id') id: string,
    @Body() body: UpdateSubscriptionDto,
  ): Promise<SubscriptionDto> {
    return mapSubscription(await this.subscriptions.update(p.tenantId, id, body));
  }

  @Delete(':webhook_id')
  @ApiOperation({ summary: 'Delete; queued deliveries are cancelled, the log stays readable by delivery id' })
  @ApiEnvelope(DeletedSubscriptionDto)
  @ApiErrors(404)
  async remove(@Principal() p: TenantPrincipal, @Param('webhook_id') id: string): Promise<DeletedSubscriptionDto> {
    await this.subscriptions.remove(p.tenantId, id);
    return { webhook_id: id, status: 'deleted' };
  }

  @Post(':webhook_id/toggle')
  @HttpCode(200)
  @ApiOperation({ summary: 'Flip active; disabling cancels queued deliveries' })
  @ApiEnvelope(SubscriptionDto)
  @ApiErrors(404)
  async toggle(@Principal() p: TenantPrincipal, @Param('webhook_id') id: string): Promise<SubscriptionDto> {
    return mapSubscription(await this.subscriptions.toggle(p.tenantId, id));
  }

  @Post(':webhook_id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New secret; the previous one keeps signing beside it for 24 h' })
  @ApiEnvelope(RotatedSecretDto)
  @ApiErrors(404)
  async rotate(@Principal() p: TenantPrincipal, @Param('webhook_id') id: string): Promise<RotatedSecretDto> {
    const { subscription, secret } = await this.subscriptions.rotateSecret(p.tenantId, id);
    return {
      ...mapSubscription(subscription),
      secret,
      previous_secret_expires_at: subscription.previousSecretExpiresAt!.toISOString(),
    };
  }

  private async createOne(p: TenantPrincipal, body: CreateSubscriptionDto): Promise<SubscriptionWithSecretDto> {
    const { subscription, secret } = await this.subscriptions.create(p.tenantId, body);
    return { ...mapSubscription(subscription), secret };
  }
}
