import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { traceIdOf } from '../common/request-id';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import { EventDto, EventTypeDto, PublishedEventDto, PublishEventDto } from './dto/event.dto';
import { EventsService } from './events.service';

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

  @Get('events/:event_id')
  @ApiOperation({ summary: 'One event and its deliveries' })
  @ApiEnvelope(EventDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('event_id') id: string): Promise<EventDto> {
    const { event, deliveries } = await this.events.get(p.tenantId, id);
    return {
      event_id: event.id,
      event_type: event.eventType,
      data: event.data,
      metadata: event.metadata,
      source: event.source,
      idempotency_key: event.idempotencyKey,
      entity_key: event.entityKey,
      created_at: event.createdAt.toISOString(),
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
