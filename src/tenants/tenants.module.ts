import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { AdminKeyStrategy, ApiKeyStrategy } from './auth';
import { MyTenantController } from './my-tenant.controller';
import { TenantAdminService } from './tenant-admin.service';
import { Tenant } from './tenant.entity';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';
import { TenantsRepository } from './tenants.repository';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([Tenant, ApiKey])],
  // /tenants/me… before /tenants/{tenant_id}…
  controllers: [MyTenantController, TenantsController],
  providers: [TenantsService, TenantAdminService, ApiKeyStrategy, AdminKeyStrategy, TenantsRepository],
  exports: [TenantsService],
})
export class TenantsModule {}
