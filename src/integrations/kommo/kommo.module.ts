import { Module } from '@nestjs/common';
import { IngestModule } from '../../webhooks/ingest.module';
import { KommoController } from './kommo.controller';
import { KommoSourceResolver } from './kommo.source-resolver';

/** Kommo's shared route and how it finds the account's sources. */
@Module({
  imports: [IngestModule],
  controllers: [KommoController],
  providers: [KommoSourceResolver],
})
export class KommoModule {}
