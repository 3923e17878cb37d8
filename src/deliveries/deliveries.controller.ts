import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Page } from '../common/envelope';
import { pageOf } from '../common/pagination';
import { traceIdOf } from '../common/request-id';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import { mapDelivery, mapDeliveryDetail, mapRetried } from './deliveries.mapper';
import { DeliveriesService } from './deliveries.service';
import { statusesOf } from './delivery-log-query';
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
  @ApiOperation({
    operationId: 'webhooks.getDelivery',
    summary: 'One delivery with every attempt: request headers and body, response (body cut at 4 KiB)',
    description:
      'Answers a delivery of the calling tenant with every attempt made: the request as sent (extra header values ' +
      'masked), the response (body cut at 4 KiB) and how long it took. The same as GET /api/v1/deliveries/{delivery_id}.',
  })
  @ApiEnvelope(DeliveryDetailDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('delivery_id') id: string): Promise<DeliveryDetailDto> {
    const { delivery, attempts } = await this.deliveries.get(p.tenantId, id);
    return mapDeliveryDetail(delivery, attempts);
  }

  @Post('deliveries/:delivery_id/retry')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'webhooks.retryDelivery',
    summary: 'Send a delivery again: a finished one as a new delivery, a retrying one now',
    description:
      'A dead, cancelled or successful delivery is sent again as a new delivery of the same event, linked by ' +
      'original_delivery_id (attempt 1). A retrying delivery is sent now instead of at its next planned time: the ' +
      'same delivery, its attempt count going on. A queued or sending delivery answers 409, as does one whose ' +
      'webhook is disabled.',
  })
  @ApiEnvelope(RetriedDeliveryDto, { status: 202 })
  @ApiErrors(404, 409)
  async retry(@Principal() p: TenantPrincipal, @Param('delivery_id') id: string): Promise<RetriedDeliveryDto> {
    return mapRetried(id, await this.deliveries.retry(p.tenantId, id));
  }

  @Get(':webhook_id/deliveries')
  @ApiOperation({
    operationId: 'webhooks.listDeliveries',
    summary: 'The delivery log of an endpoint, newest first',
    description:
      'Lists the deliveries of one webhook endpoint, newest first, with limit and offset. Filters: status ' +
      '(`failed` is retrying or dead), event_type (exact), since and until. GET /api/v1/deliveries is the ' +
      'tenant-wide log with more filters.',
  })
  @ApiEnvelope(DeliveryDto, { list: true })
  @ApiErrors(400, 404)
  async list(
    @Principal() p: TenantPrincipal,
    @Param('webhook_id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<DeliveryDto>> {
    const { limit, offset } = pageOf(query);
    const { items, total } = await this.deliveries.list(p.tenantId, id, {
      statuses: statusesOf(query.status),
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
  @ApiOperation({
    operationId: 'webhooks.recover',
    summary: 'Send again every failed delivery of the endpoint since a time (24 h ago by default)',
    description:
      'Re-queues the dead and cancelled deliveries of the endpoint created since `since` (24 hours ago when ' +
      'omitted) that were not retried already, as new deliveries, and sends its retrying ones now; at most ' +
      '10,000 a call (call again for the rest). Answers how many were queued; 409 when the webhook is disabled.',
  })
  @ApiEnvelope(RecoveredDto, { status: 202 })
  @ApiErrors(400, 404, 409)
  async recover(
    @Principal() p: TenantPrincipal,
    @Param('webhook_id') id: string,
    @Body() body: RecoverDto,
  ): Promise<RecoveredDto> {
    const since = body.since === undefined ? undefined : new Date(body.since);
    return { queued: await this.deliveries.recover(p.tenantId, id, since) };
  }

  @Post(':webhook_id/test')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'webhooks.test',
    summary: 'Send a webhook.test event now and answer the attempt result (no retries)',
    description:
      'Publishes a webhook.test event to this endpoint only, makes one attempt at once and answers its result: ' +
      'success, HTTP status, response time, error and response body (cut at 4 KiB). A failure is not retried.',
  })
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
