import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import {
  InboundEventDetailDto,
  InboundEventDto,
  ListInboundEventsQuery,
  RetriedInboundEventDto,
} from './dto/inbound-event.dto';
import { mapInboundEvent, mapInboundEventDetail } from './inbound-events.mapper';
import { InboundEventsService } from './inbound-events.service';

@ApiTags('inbound-events')
@TenantAuth()
@Controller('api/v1/inbound-events')
export class InboundEventsController {
  constructor(private readonly inbound: InboundEventsService) {}

  @Get()
  @ApiOperation({
    operationId: 'inboundEvents.list',
    summary: 'The history of received webhooks, newest first; `page` or `offset` pagination',
    description:
      'Lists received webhooks with their processing status and top-level payload keys (`payload_preview`). ' +
      'Filters combine: status, event type and subtype, entity, source, provider and a creation time range. ' +
      'With `page` the answer is page-based (`page`, `total_pages`), otherwise offset-based.',
  })
  @ApiEnvelope(InboundEventDto, { list: true })
  @ApiErrors(400)
  async list(@Principal() p: TenantPrincipal, @Query() q: ListInboundEventsQuery): Promise<Page<InboundEventDto>> {
    const { limit } = pageOf(q);
    const offset = q.page ? (q.page - 1) * limit : pageOf(q).offset;
    const { items, total } = await this.inbound.list(p.tenantId, {
      status: q.status,
      eventType: q.event_type,
      eventSubtype: q.event_subtype,
      entityType: q.entity_type,
      entityId: q.entity_id,
      sourceId: q.source_id,
      provider: q.provider,
      startDate: q.start_date ? new Date(q.start_date) : undefined,
      endDate: q.end_date ? new Date(q.end_date) : undefined,
      limit,
      offset,
    });
    const pagination = q.page
      ? { page: q.page, limit, total, total_pages: Math.ceil(total / limit) }
      : { limit, offset, total };
    return new Page(items.map(mapInboundEvent), pagination);
  }

  @Get(':inbound_event_id')
  @ApiOperation({
    operationId: 'inboundEvents.get',
    summary: 'One received webhook: payload, headers (secrets redacted) and the events it produced',
    description:
      'Answers one received webhook with its whole payload, its headers (secret-bearing ones redacted), its ' +
      'processing state and error, and the events its processing produced.',
  })
  @ApiEnvelope(InboundEventDetailDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('inbound_event_id') id: string): Promise<InboundEventDetailDto> {
    const { inbound, produced } = await this.inbound.get(p.tenantId, id);
    return mapInboundEventDetail(inbound, produced);
  }

  @Post(':inbound_event_id/retry')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'inboundEvents.retry',
    summary: 'Process a failed or retrying inbound event again, now',
    description:
      'Queues a `failed` or `retrying` inbound event for processing now; it answers 409 CONFLICT for one that is ' +
      'pending, processing or completed.',
  })
  @ApiEnvelope(RetriedInboundEventDto, { status: 202 })
  @ApiErrors(404, 409)
  async retry(@Principal() p: TenantPrincipal, @Param('inbound_event_id') id: string): Promise<RetriedInboundEventDto> {
    const inbound = await this.inbound.retry(p.tenantId, id);
    return { id: inbound.id, status: 'pending' };
  }
}
