import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tenant } from './tenant.entity';

/** The tenants table's reads that other features need (a tenant's locale and time zone for notifications). */
@Injectable()
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<Tenant | null> {
    return this.dataSource.getRepository(Tenant).findOneBy({ id });
  }
}
