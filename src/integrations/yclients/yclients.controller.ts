import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { ApiEnvelope } from '../../common/swagger';
import { IngestAcceptedDto } from '../../webhooks/dto/ingest.dto';
import { IngestService, ingestRequestOf } from '../../webhooks/ingest.service';
import { bodyKindOf, parsePayload } from '../../webhooks/payload';
import type { SharedLookup } from '../../webhooks/shared-route';
import { ApiSharedRouteErrors, SHARED_ROUTE_RULE } from '../../webhooks/shared-route.swagger';
import { idOf, objectOf } from './yclients.values';

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

/** Every YClients source of the location, in any tenant: the one whose token the request carries takes it. */
function companyLookup(companyId: string | null): SharedLookup {
  return {
    provider: 'yclients',
    matches: companyId ? [{ key: 'company_id', value: companyId }] : [],
    notFound: companyId
      ? `No YClients source is configured for company_id=${companyId} (set config.company_id on the source).`
      : 'The notification names no company_id, so no YClients source can be found for it.',
  };
}

/** YClients / Altegio notifications: the sources whose `config.company_id` matches; the one the token belongs to takes it. */
@ApiTags('integrations')
@Controller('api/v1/integrations/yclients')
export class YclientsController {
  constructor(private readonly ingest: IngestService) {}

  @Post('webhook')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'yclients.receive',
    summary: 'Receive a YClients / Altegio notification; the source is found by company_id, then ?token= is checked',
    description:
      'The sources are those whose config.company_id equals the body’s company_id (else data.company_id); ' +
      "each checks its own ?token= (url-token, YClients' default). " +
      SHARED_ROUTE_RULE,
  })
  @ApiQuery({ name: 'token', required: false, description: "The source's secret (url-token, the YClients default)" })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: EXAMPLE } })
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({ status: 200, description: 'A duplicate: the first inbound event id, status "duplicate"' })
  @ApiSharedRouteErrors()
  async webhook(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<IngestAcceptedDto> {
    const request = ingestRequestOf(req);
    const companyId = companyIdOf(request.rawBody, req.headers['content-type']);
    return this.ingest.receive(await this.ingest.candidatesFor(companyLookup(companyId)), request, res);
  }
}
