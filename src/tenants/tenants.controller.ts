import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { AdminAuth } from './auth';
import {
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreatedTenantDto,
  CreateTenantDto,
  DeletedTenantDto,
  ListTenantsQuery,
  RevokedApiKeyDto,
  TenantSummaryDto,
} from './dto/tenant.dto';
import { TenantAdminService } from './tenant-admin.service';
import { mapApiKey, mapTenant } from './tenants.mapper';
import { TenantsService } from './tenants.service';

/** The operator's routes (ADMIN_API_KEY): tenants, their deletion, and keys issued for them. */
@ApiTags('tenants')
@AdminAuth()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly admin: TenantAdminService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'tenants.create',
    summary: 'Create a tenant and its first API key (admin key)',
    description: 'The answer holds the tenant and its first API key, shown this once.',
  })
  @ApiEnvelope(CreatedTenantDto, { status: 201 })
  @ApiErrors(400)
  async create(@Body() body: CreateTenantDto): Promise<CreatedTenantDto> {
    const { tenant, apiKey, key } = await this.tenants.create(body.name);
    return { ...mapTenant(tenant), api_key: key, api_key_id: apiKey.id };
  }

  @Get()
  @ApiOperation({
    operationId: 'tenants.list',
    summary: 'List tenants with what each holds (admin key)',
    description:
      'Every tenant, newest first, with counts of its webhooks and sources (deleted ones left out), stored events, ' +
      'deliveries, and API keys that work.',
  })
  @ApiEnvelope(TenantSummaryDto, { list: true })
  @ApiErrors(400)
  async list(@Query() query: ListTenantsQuery): Promise<Page<TenantSummaryDto>> {
    const { limit, offset } = pageOf(query);
    const { items, total } = await this.admin.list(limit, offset);
    return new Page(
      items.map(({ tenant, counts }) => ({ ...mapTenant(tenant), counts })),
      { limit, offset, total },
    );
  }

  @Delete(':tenant_id')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'tenants.delete',
    summary: 'Delete a tenant and all of its data (admin key)',
    description:
      'Removes the tenant and every row of it in one transaction: subscriptions, events, deliveries and their ' +
      'attempts, sources, inbound events, entity states, notification rules and notifications, API keys. Its keys ' +
      'stop working at once, and its queued deliveries, processing runs and notifications are never carried out. ' +
      'It cannot be undone.',
  })
  @ApiEnvelope(DeletedTenantDto)
  @ApiErrors(404)
  async remove(@Param('tenant_id') tenantId: string): Promise<DeletedTenantDto> {
    await this.admin.remove(tenantId);
    return { tenant_id: tenantId, status: 'deleted' };
  }

  @Post(':tenant_id/api-keys')
  @ApiOperation({
    operationId: 'tenants.createKey',
    summary: 'Issue another API key for a tenant (admin key)',
    description: 'The answer holds the new key, shown this once; the tenant can also do this itself.',
  })
  @ApiEnvelope(CreatedApiKeyDto, { status: 201 })
  @ApiErrors(400, 404)
  async addKey(@Param('tenant_id') tenantId: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.tenants.addApiKey(tenantId, body.name ?? null);
    return mapApiKey(apiKey, key);
  }

  @Delete(':tenant_id/api-keys/:api_key_id')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'tenants.revokeKey',
    summary: "Revoke a tenant's API key (admin key)",
    description: 'The key stops working at once. An unknown or already revoked key answers 404.',
  })
  @ApiEnvelope(RevokedApiKeyDto)
  @ApiErrors(404)
  async revokeKey(
    @Param('tenant_id') tenantId: string,
    @Param('api_key_id') apiKeyId: string,
  ): Promise<RevokedApiKeyDto> {
    await this.tenants.revokeApiKey(tenantId, apiKeyId);
    return { api_key_id: apiKeyId, status: 'revoked' };
  }
}
