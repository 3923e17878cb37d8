import { Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { ApiEnvelope } from '../../common/swagger';
import { IngestAcceptedDto } from '../../webhooks/dto/ingest.dto';
import { IngestService, ingestRequestOf } from '../../webhooks/ingest.service';
import { bodyKindOf } from '../../webhooks/payload';
import { ApiSharedRouteErrors, SHARED_ROUTE_RULE } from '../../webhooks/shared-route.swagger';
import { KOMMO_WEBHOOK_PATH } from './index';
import { KommoSourceResolver } from './kommo.source-resolver';

const EXAMPLE_BODY =
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=23802129&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&leads%5Bstatus%5D%5B0%5D%5Bupdated_at%5D=1726139530&account%5Bsubdomain%5D=examplecorp&account%5Bid%5D=29013640';

/** Kommo / amoCRM webhooks; the sources of the account are found, the one the request verifies with takes it. */
@ApiTags('integrations')
@Controller()
export class KommoController {
  constructor(
    private readonly ingest: IngestService,
    private readonly resolver: KommoSourceResolver,
  ) {}

  @Post(KOMMO_WEBHOOK_PATH.slice(1))
  @HttpCode(202)
  @ApiOperation({
    operationId: 'kommo.receive',
    summary: 'Receive a Kommo / amoCRM webhook; the source is found by X-Org-Id, else account[id] / account[subdomain]',
    description:
      "CRM webhooks are PHP form bodies (several entities and items per request) matched to the sources whose config.account_id or config.subdomain names the account; each source's ?token= is checked (url-token, Kommo's default). Chats API hooks (JSON, X-Signature) name no CRM account: post them to /api/v1/ingest/{source_id}, or name the account in X-Org-Id. " +
      SHARED_ROUTE_RULE,
  })
  @ApiHeader({
    name: 'X-Org-Id',
    required: false,
    description:
      "The Kommo account id or subdomain; when given, it alone picks the source (the body's account block is not read).",
  })
  @ApiQuery({ name: 'token', required: false, description: "The source's secret (url-token scheme)." })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ schema: { type: 'string', example: EXAMPLE_BODY } })
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({
    status: 200,
    description: 'A duplicate (a Kommo retry): the first inbound event id, status "duplicate"',
  })
  @ApiSharedRouteErrors()
  async webhook(
    @Headers('x-org-id') orgId: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestAcceptedDto> {
    const request = ingestRequestOf(req);
    const contentType = req.headers['content-type'];
    if (request.rawBody.length > 0 && !bodyKindOf(contentType)) {
      throw new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Send application/x-www-form-urlencoded or application/json (got ${contentType ?? 'none'}).`,
      );
    }
    const candidates = await this.resolver.candidates(orgId, request.rawBody, contentType);
    return this.ingest.receive(candidates, request, res);
  }
}
