import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from './auth';
import {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQuery,
  RevokedApiKeyDto,
  TenantDto,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { mapApiKey, mapListedApiKey, mapTenant } from './tenants.mapper';
import { TenantPrincipal, TenantsService } from './tenants.service';

/**
 * The calling key's own tenant and its API keys (`/tenants/me…`). Registered before
 * TenantsController, whose `/tenants/{tenant_id}/…` routes would otherwise take `me` for an id.
 */
@ApiTags('tenants')
@TenantAuth()
@Controller('api/v1/tenants/me')
export class MyTenantController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({
    operationId: 'tenants.getMe',
    summary: "The calling key's tenant",
    description: 'Answers the tenant the API key belongs to: its id, name, time zone and locale.',
  })
  @ApiEnvelope(TenantDto)
  async me(@Principal() principal: TenantPrincipal): Promise<TenantDto> {
    return mapTenant(await this.tenants.get(principal.tenantId));
  }

  @Patch()
  @ApiOperation({
    operationId: 'tenants.updateMe',
    summary: "Change the calling key's tenant",
    description: 'Changes the name, or the time zone and locale used in notifications; fields left out stay.',
  })
  @ApiEnvelope(TenantDto)
  @ApiErrors(400)
  async updateMe(@Principal() principal: TenantPrincipal, @Body() body: UpdateTenantDto): Promise<TenantDto> {
    return mapTenant(await this.tenants.update(principal.tenantId, body));
  }

  @Post('api-keys')
  @ApiOperation({
    operationId: 'tenants.createMyKey',
    summary: 'Create another API key of the tenant',
    description:
      'Issues a new key of the calling tenant, working at once beside the others. The answer holds the key: it is ' +
      'shown this once and stored only as a hash.',
  })
  @ApiEnvelope(CreatedApiKeyDto, { status: 201 })
  @ApiErrors(400)
  async createKey(@Principal() principal: TenantPrincipal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.tenants.addApiKey(principal.tenantId, body.name ?? null);
    return mapApiKey(apiKey, key);
  }

  @Get('api-keys')
  @ApiOperation({
    operationId: 'tenants.listMyKeys',
    summary: "List the tenant's API keys",
    description:
      'The keys that work (revoked ones are left out), newest first: id, name, first characters and last use. ' +
      'Never the key itself.',
  })
  @ApiEnvelope(ApiKeyDto, { list: true })
  @ApiErrors(400)
  async listKeys(@Principal() principal: TenantPrincipal, @Query() query: ListApiKeysQuery): Promise<Page<ApiKeyDto>> {
    const { limit, offset } = pageOf(query);
    const { items, total } = await this.tenants.listApiKeys(principal.tenantId, limit, offset);
    return new Page(items.map(mapListedApiKey), { limit, offset, total });
  }

  @Delete('api-keys/:api_key_id')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'tenants.revokeMyKey',
    summary: 'Revoke one of the tenant’s API keys',
    description:
      'The key stops working at once. The key making the call cannot revoke itself (409 CONFLICT): use another ' +
      'key of the tenant. An unknown or already revoked key answers 404.',
  })
  @ApiEnvelope(RevokedApiKeyDto)
  @ApiErrors(404, 409)
  async revokeKey(
    @Principal() principal: TenantPrincipal,
    @Param('api_key_id') apiKeyId: string,
  ): Promise<RevokedApiKeyDto> {
    await this.tenants.revokeOwnApiKey(principal, apiKeyId);
    return { api_key_id: apiKeyId, status: 'revoked' };
  }
}
