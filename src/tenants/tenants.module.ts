import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { AdminKeyStrategy, ApiKeyStrategy } from './auth';
import { Tenant } from './tenant.entity';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([Tenant, ApiKey])],
  controllers: [TenantsController],
  providers: [TenantsService, ApiKeyStrategy, AdminKeyStrategy],
  exports: [TenantsService],
})
export class TenantsModule {}
