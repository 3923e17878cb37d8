import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { traceIdOf } from '../../common/request-id';
import { ApiEnvelope, ApiErrors } from '../../common/swagger';
import { IngestAcceptedDto } from '../../webhooks/dto/ingest.dto';
import { IngestService } from '../../webhooks/ingest.service';
import { bodyKindOf, parsePayload } from '../../webhooks/payload';
import { idOf, objectOf } from './yclients.values';

export const YCLIENTS_WEBHOOK_PATH = '/api/v1/integrations/yclients/webhook';

const EXAMPLE = {
  company_id: 307626,
  resource: 'record',
  resource_id: 596792980,
  status: 'create',
  data: { id: 596792980, datetime: '2025-07-13T12:10:00+05:00', services: [{ title: 'Haircut', cost: 4000 }] },
};

/**
 * The location a notification is about (`company_id`, else `data.company_id`). The body is parsed
 * here only to route it; a body that cannot be routed is answered as the ingest pipeline would
 * (415 other content types, 400 empty or malformed) rather than as an unknown location.
 */
function companyIdOf(rawBody: Buffer, contentType: string | undefined): string | null {
  const kind = bodyKindOf(contentType);
  if (!kind) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send application/json or application/x-www-form-urlencoded (got ${contentType ?? 'none'}).`,
    );
  }
  if (rawBody.length === 0) {
    throw ApiError.validation('The request body is empty.', [{ field: 'body', message: 'body must not be empty' }]);
  }
  const o = objectOf(parsePayload(rawBody, kind));
  return idOf(o?.company_id) ?? idOf(objectOf(o?.data)?.company_id);
}

/** YClients / Altegio notifications (CONTRACT §5.2): the source is the one whose `config.company_id` matches. */
@ApiTags('integrations')
@Controller('api/v1/integrations/yclients')
export class YclientsController {
  constructor(private readonly ingest: IngestService) {}

  @Post('webhook')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Receive a YClients / Altegio notification; the source is found by company_id, then ?token= is checked',
  })
  @ApiQuery({ name: 'token', required: false, description: "The source's secret (url-token, the YClients default)" })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: EXAMPLE } })
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({ status: 200, description: 'A duplicate: the first inbound event id, status "duplicate"' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 429, 503)
  async webhook(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<IngestAcceptedDto> {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const companyId = companyIdOf(rawBody, req.headers['content-type']);
    const source = await this.ingest.sourceByConfig('yclients', 'company_id', companyId);
    const result = await this.ingest.accept(source, {
      rawBody,
      headers: req.headers,
      query: req.query,
      kind: null,
      traceId: traceIdOf(req),
    });
    if (result.duplicate) res.status(200);
    return { webhook_event_id: result.inboundEventId, status: result.duplicate ? 'duplicate' : 'accepted' };
  }
}
