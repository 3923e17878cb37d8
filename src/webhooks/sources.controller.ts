import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import {
  CreateSourceDto,
  DeletedSourceDto,
  ListSourcesQuery,
  SourceDto,
  SourceWithSecretDto,
  UpdateSourceDto,
} from './dto/source.dto';
import { mapSource } from './sources.mapper';
import { SourcesService } from './sources.service';
import type { Source } from './source.entity';

@ApiTags('sources')
@TenantAuth()
@Controller('api/v1/sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'sources.create',
    summary: 'Register a source of incoming webhooks',
    description:
      'Creates a source and answers its ingest_url and verification secret; the secret is shown this once (and ' +
      'inside ingest_url for the url-token scheme). The verification scheme defaults by provider.',
  })
  @ApiEnvelope(SourceWithSecretDto, { status: 201 })
  @ApiErrors(400)
  async create(
    @Principal() p: TenantPrincipal,
    @Body() body: CreateSourceDto,
    @Req() req: Request,
  ): Promise<SourceWithSecretDto> {
    const { source, secret } = await this.sources.create(p.tenantId, body);
    return { ...this.map(source, req), secret };
  }

  @Get()
  @ApiOperation({
    operationId: 'sources.list',
    summary: 'List sources',
    description: "The tenant's sources, newest first, deleted ones left out; filter by provider.",
  })
  @ApiEnvelope(SourceDto, { list: true })
  @ApiErrors(400)
  async list(
    @Principal() p: TenantPrincipal,
    @Query() query: ListSourcesQuery,
    @Req() req: Request,
  ): Promise<Page<SourceDto>> {
    const { limit, offset } = pageOf(query);
    const { items, total } = await this.sources.list(p.tenantId, query.provider, limit, offset);
    return new Page(
      items.map((s) => this.map(s, req)),
      { limit, offset, total },
    );
  }

  @Get(':source_id')
  @ApiOperation({
    operationId: 'sources.get',
    summary: 'One source',
    description:
      'A source with its ingest_url and its last processing error (last_error, last_error_at), never its secret.',
  })
  @ApiEnvelope(SourceDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('source_id') id: string, @Req() req: Request): Promise<SourceDto> {
    return this.map(await this.sources.get(p.tenantId, id), req);
  }

  @Patch(':source_id')
  @ApiOperation({
    operationId: 'sources.update',
    summary: 'Change a source',
    description:
      'Changes the fields given; config is replaced as a whole. A new verification secret, when one is set or ' +
      'generated, is shown this once in the answer. The provider cannot change.',
  })
  @ApiEnvelope(SourceWithSecretDto)
  @ApiErrors(400, 404)
  async update(
    @Principal() p: TenantPrincipal,
    @Param('source_id') id: string,
    @Body() body: UpdateSourceDto,
    @Req() req: Request,
  ): Promise<SourceWithSecretDto> {
    const { source, secret } = await this.sources.update(p.tenantId, id, body);
    return { ...this.map(source, req), secret };
  }

  @Delete(':source_id')
  @ApiOperation({
    operationId: 'sources.delete',
    summary: 'Delete a source',
    description: 'Its ingest URL answers 404 from then on; its inbound-event history stays.',
  })
  @ApiEnvelope(DeletedSourceDto)
  @ApiErrors(404)
  async remove(@Principal() p: TenantPrincipal, @Param('source_id') id: string): Promise<DeletedSourceDto> {
    await this.sources.remove(p.tenantId, id);
    return { source_id: id, status: 'deleted' };
  }

  private map(source: Source, req: Request): SourceDto {
    const base = this.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return mapSource(source, base, source.scheme === 'url-token' ? this.sources.secretOf(source) : null);
  }
}
