import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { traceIdOf } from '../common/request-id';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import { mapDelivery, mapDeliveryDetail } from './deliveries.mapper';
import { DeliveriesService } from './deliveries.service';
import {
  DeliveryDetailDto,
  DeliveryDto,
  ListDeliveriesQuery,
  RecoverDto,
  RecoveredDto,
  RetriedDeliveryDto,
  TestResultDto,
} from './dto/delivery.dto';

/** The delivery log of outgoing webhooks and the actions on it (CONTRACT §3). Registered before /webhooks/{id}. */
@ApiTags('webhooks')
@TenantAuth()
@Controller('api/v1/webhooks')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('deliveries/:delivery_id')
  @ApiOperation({ summary: 'One delivery with every attempt: request headers and body, response (body cut at 4 KiB)' })
  @ApiEnvelope(DeliveryDetailDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('delivery_id') id: string): Promise<DeliveryDetailDto> {
    const { delivery, attempts } = await this.deliveries.get(p.tenantId, id);
    return mapDeliveryDetail(delivery, attempts);
  }

  @Post('deliveries/:delivery_id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a finished delivery again, as a new delivery linked by original_delivery_id' })
  @ApiEnvelope(RetriedDeliveryDto, { status: 202 })
  @ApiErrors(404, 409)
  async retry(@Principal() p: TenantPrincipal, @Param('delivery_id') id: string): Promise<RetriedDeliveryDto> {
    const copy = await this.deliveries.retry(p.tenantId, id);
    return {
      delivery_id: copy.id,
      original_delivery_id: id,
      status: 'queued',
      attempt: 1,
      scheduled_for: (copy.nextAttemptAt ?? new Date()).toISOString(),
    };
  }

  @Get(':webhook_id/deliveries')
  @ApiOperation({ summary: 'The delivery log of an endpoint, newest first' })
  @ApiEnvelope(DeliveryDto, { list: true })
  @ApiErrors(400, 404)
  async list(
    @Principal() p: TenantPrincipal,
    @Param('webhook_id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<DeliveryDto>> {
    const { limit, offset } = pageOf(query);
    const { items, total } = await this.deliveries.list(p.tenantId, id, {
      status: query.status,
      eventType: query.event_type,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
      limit,
      offset,
    });
    return new Page(items.map(mapDelivery), { limit, offset, total });
  }

  @Post(':webhook_id/recover')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue again every dead delivery of the endpoint created since a time' })
  @ApiEnvelope(RecoveredDto, { status: 202 })
  @ApiErrors(400, 404, 409)
  async recover(
    @Principal() p: TenantPrincipal,
    @Param('webhook_id') id: string,
    @Body() body: RecoverDto,
  ): Promise<RecoveredDto> {
    return { queued: await this.deliveries.recover(p.tenantId, id, new Date(body.since)) };
  }

  @Post(':webhook_id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a webhook.test event now and answer the attempt result (no retries)' })
  @ApiEnvelope(TestResultDto)
  @ApiErrors(404, 409)
  async test(
    @Principal() p: TenantPrincipal,
    @Param('webhook_id') id: string,
    @Req() req: Request,
  ): Promise<TestResultDto> {
    const { eventId, outcome, deliveryId } = await this.deliveries.test(p.tenantId, id, traceIdOf(req));
    const result = outcome?.result;
    return {
      delivery_id: deliveryId ?? '',
      event_id: eventId,
      success: result?.ok ?? false,
      http_status: result?.httpStatus ?? null,
      response_time_ms: result?.responseTimeMs ?? 0,
      error: result ? result.error : 'the attempt could not be made',
      response_body: result?.responseBody ?? null,
    };
  }
}
