import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page } from '../common/envelope';
import { encodeCursor, keysetOf } from '../common/pagination';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { Principal, TenantAuth } from '../tenants/auth';
import type { TenantPrincipal } from '../tenants/tenants.service';
import { mapDeliveryDetail, mapDeliveryLogItem } from './deliveries.mapper';
import { DeliveriesService } from './deliveries.service';
import { parseFilter } from './delivery-log-query';
import { DeliveryLogService } from './delivery-log.service';
import { ListDeliveryLogQuery, RetryMatchingDto } from './dto/delivery-log.dto';
import { DeliveryDetailDto, DeliveryLogItemDto, RecoveredDto } from './dto/delivery.dto';

/** The tenant-wide delivery log and the bulk retry of what it matches. */
@ApiTags('webhooks')
@TenantAuth()
@Controller('api/v1/deliveries')
export class DeliveryLogController {
  constructor(
    private readonly log: DeliveryLogService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'deliveries.list',
    summary: 'Every delivery of the tenant, newest first, filtered and keyset-paginated',
    description:
      'Lists the deliveries of all webhook endpoints of the calling tenant, newest first. Filters combine: ' +
      'webhook_id, status (`failed` is retrying or dead), event_type (exact, `deal.*` or `*`), event_id, ' +
      'http_status (of the last attempt), since/until (created_at, until exclusive) and q (text in the event data ' +
      'the request body carries). Pages by cursor: pass meta.pagination.next_cursor as `cursor` for the next page; ' +
      'it is null on the last one, and deliveries created meanwhile never shift a later page.',
  })
  @ApiEnvelope(DeliveryLogItemDto, { list: true })
  @ApiErrors(400)
  async list(@Principal() p: TenantPrincipal, @Query() query: ListDeliveryLogQuery): Promise<Page<DeliveryLogItemDto>> {
    const { limit, after } = keysetOf(query);
    const { items, next } = await this.log.list(p.tenantId, parseFilter(query), { limit, after });
    return new Page(
      items.map((item) => mapDeliveryLogItem(item.delivery, item.responseTimeMs)),
      { limit, next_cursor: next ? encodeCursor(next) : null },
    );
  }

  @Get(':delivery_id')
  @ApiOperation({
    operationId: 'deliveries.get',
    summary: 'One delivery with every attempt: request headers and body, response (body cut at 4 KiB)',
    description:
      'Answers a delivery of the calling tenant with every attempt made: the request as sent (extra header values ' +
      'masked), the response (body cut at 4 KiB) and how long it took. Another tenant’s delivery answers 404.',
  })
  @ApiEnvelope(DeliveryDetailDto)
  @ApiErrors(404)
  async get(@Principal() p: TenantPrincipal, @Param('delivery_id') id: string): Promise<DeliveryDetailDto> {
    const { delivery, attempts } = await this.deliveries.get(p.tenantId, id);
    return mapDeliveryDetail(delivery, attempts);
  }

  @Post('retry')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'deliveries.retryMatching',
    summary: 'Send again every delivery a filter of the log matches',
    description:
      'Takes the filter of GET /api/v1/deliveries (at least one field; an empty filter is refused rather than ' +
      'resending the whole log). Without a status it sends again the dead and cancelled deliveries not retried ' +
      'already, as new deliveries linked by original_delivery_id, and sends retrying ones now; status=success ' +
      'resends successful ones too; queued and sending ones are on their way already (400). Deliveries of ' +
      'disabled or deleted webhooks are skipped. At most 10,000 a call, oldest first: call again while `queued` ' +
      'is 10,000.',
  })
  @ApiEnvelope(RecoveredDto, { status: 202 })
  @ApiErrors(400)
  async retryMatching(@Principal() p: TenantPrincipal, @Body() body: RetryMatchingDto): Promise<RecoveredDto> {
    return { queued: await this.deliveries.retryMatching(p.tenantId, body.filter) };
  }
}
