import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { AdminAuth, Principal, TenantAuth } from './auth';
import {
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreatedTenantDto,
  CreateTenantDto,
  RevokedApiKeyDto,
  TenantDto,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { mapApiKey, mapTenant } from './tenants.mapper';
import { TenantPrincipal, TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @AdminAuth()
  @ApiOperation({ summary: 'Create a tenant and its first API key (admin key)' })
  @ApiEnvelope(CreatedTenantDto, { status: 201 })
  @ApiErrors(400)
  async create(@Body() body: CreateTenantDto): Promise<CreatedTenantDto> {
    const { tenant, apiKey, key } = await this.tenants.create(body.name);
    return { ...mapTenant(tenant), api_key: key, api_key_id: apiKey.id };
  }

  @Get('me')
  @TenantAuth()
  @ApiOperation({ summary: "The calling key's tenant" })
  @ApiEnvelope(TenantDto)
  async me(@Principal() principal: TenantPrincipal): Promise<TenantDto> {
    return mapTenant(await this.tenants.get(principal.tenantId));
  }

  @Patch('me')
  @TenantAuth()
  @ApiOperation({ summary: "Change the calling key's tenant: name, time zone and locale of notifications" })
  @ApiEnvelope(TenantDto)
  @ApiErrors(400)
  async updateMe(@Principal() principal: TenantPrincipal, @Body() body: UpdateTenantDto): Promise<TenantDto> {
    return mapTenant(await this.tenants.update(principal.tenantId, body));
  }

  @Post(':tenant_id/api-keys')
  @AdminAuth()
  @ApiOperation({ summary: 'Issue another API key for a tenant (admin key)' })
  @ApiEnvelope(CreatedApiKeyDto, { status: 201 })
  @ApiErrors(400, 404)
  async addKey(@Param('tenant_id') tenantId: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.tenants.addApiKey(tenantId, body.name ?? null);
    return mapApiKey(apiKey, key);
  }

  @Delete(':tenant_id/api-keys/:api_key_id')
  @HttpCode(200)
  @AdminAuth()
  @ApiOperation({ summary: 'Revoke an API key (admin key); it stops working at once' })
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
