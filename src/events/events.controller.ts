import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { KeysetPaginationMeta, Page } from '../common/envelope';
import { traceIdOf } from '../common/request-id';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import {
  EventDto,
  EventLogItemDto,
  EventSummaryDto,
  EventTypeDto,
  ListEventsQuery,
  PublishedEventDto,
  PublishEventDto,
} from './dto/event.dto';
import { eventLogFilterOf } from './event-log';
import { Event } from './event.entity';
import { EventsService } from './events.service';

function eventSummaryOf(event: Event): EventSummaryDto {
  return {
    event_id: event.id,
    event_type: event.eventType,
    data: event.data,
    metadata: event.metadata,
    source: event.source,
    source_id: event.sourceId,
    inbound_event_id: event.inboundEventId,
    idempotency_key: event.idempotencyKey,
    entity_key: event.entityKey,
    created_at: event.createdAt.toISOString(),
  };
}

@ApiTags('events')
@TenantAuth()
@Controller('api/v1')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post('events')
  @HttpCode(202)
  @ApiOperation({ summary: 'Publish an event to every matching webhook endpoint' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same as idempotency_key in the body' })
  @ApiEnvelope(PublishedEventDto, { status: 202 })
  @ApiErrors(400, 409)
  async publish(
    @Principal() p: TenantPrincipal,
    @Body() body: PublishEventDto,
    @Headers('idempotency-key') headerKey: string | undefined,
    @Req() req: Request,
  ): Promise<PublishedEventDto> {
    if (
      headerKey !== undefined &&
      body.idempotency_key !== undefined &&
      headerKey.trim() !== body.idempotency_key.trim()
    ) {
      throw new ApiError('CONFLICT', 'The Idempotency-Key header and idempotency_key in the body differ.');
    }
    const key = body.idempotency_key ?? (headerKey?.trim() ? headerKey.trim().slice(0, 200) : undefined);
    const { event, matched } = await this.events.publish(p.tenantId, {
      eventType: body.event_type,
      data: body.data,
      metadata: body.metadata,
      idempotencyKey: key,
      entityKey: body.entity_key,
      traceId: traceIdOf(req),
    });
    return { event_id: event.id, event_type: event.eventType, matched_webhooks: matched };
  }

  @Get('events')
  @ApiOperation({
    operationId: 'events.list',
    summary: "The tenant's event log, newest first",
    description:
      'Lists the events of the tenant, newest first, with how many deliveries each has. Filters combine: ' +
      '`event_type` (exact, `deal.*` or `*`), `entity_key`, `source_id` (events produced by that source), ' +
      '`since` (inclusive) and `until` (exclusive), `q` (text in the event data, any case). Pages are ' +
      'keyset-paginated: pass `meta.pagination.next_cursor` as `cursor` for the next page; it is null on the last one.',
  })
  @ApiEnvelope(EventLogItemDto, { list: 'cursor' })
  @ApiErrors(400)
  async list(@Principal() p: TenantPrincipal, @Query() query: ListEventsQuery): Promise<Page<EventLogItemDto>> {
    const filter = eventLogFilterOf(query);
    const { items, nextCursor } = await this.events.list(p.tenantId, filter);
    const pagination: KeysetPaginationMeta = { limit: filter.limit, next_cursor: nextCursor };
    return new Page(
      items.map((i) => ({
        ...eventSummaryOf(i.event),
        deliveries_count: i.deliveries,
        failed_deliveries_count: i.failedDeliveries,
      })),
      pagination,
    );
  }

  @Get('events/:event_id')
  @ApiOperation({ summary: 'One event and its deliveries' })
  @ApiEnvelope(EventDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('event_id') id: string): Promise<EventDto> {
    const { event, deliveries } = await this.events.get(p.tenantId, id);
    return {
      ...eventSummaryOf(event),
      deliveries: deliveries.map((d) => ({
        delivery_id: d.id,
        webhook_id: d.subscriptionId,
        status: d.status,
        attempt: d.attemptCount,
        http_status: d.lastHttpStatus,
        next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
        created_at: d.createdAt.toISOString(),
      })),
    };
  }

  @Get('event-types')
  @ApiOperation({ summary: 'The catalogue of known event types, and those this tenant published lately' })
  @ApiEnvelope(EventTypeDto, { list: 'all' })
  async types(@Principal() p: TenantPrincipal): Promise<EventTypeDto[]> {
    return this.events.eventTypes(p.tenantId);
  }
}
