import { Controller, Headers, HttpCode, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { successBody } from '../common/envelope';
import { ERROR_FILTER_CONTEXT, respondWithError } from '../common/error.filter';
import { traceIdOf } from '../common/request-id';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { IngestAcceptedDto } from './dto/ingest.dto';
import { IngestService, ingestRequestOf } from './ingest.service';
import { ApiIngestVerification } from './ingest.swagger';

const BODY = {
  schema: {
    type: 'object',
    additionalProperties: true,
    example: { event_type: 'order.created', event_id: 'ord-42-created', order: { id: 42 } },
  },
};

/**
 * The canonical ingest path, `POST /api/v1/ingest/{source_id}` with a plain source id: the only
 * form the fast path serves. Anything else (a percent-encoded id, a trailing slash, other letter
 * case) goes on to Nest's router, which decodes and matches it as before.
 */
const CANONICAL_INGEST_PATH = /^\/api\/v1\/ingest\/([A-Za-z0-9_-]+)$/;

/** Incoming webhooks of any sender; authenticated by the source's verification, not an API key. */
@ApiTags('ingest')
@Controller('api/v1')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  private readonly errorLogger = new Logger(ERROR_FILTER_CONTEXT);

  /**
   * `POST /api/v1/ingest/{source_id}` served straight from the body-parser middleware, after the
   * request id, the request logger and the raw-body parser, without Nest's router, interceptors
   * and rxjs: the same service calls, the same success envelope (status 202, or 200 for a
   * duplicate) and the same error envelope as the route below, which stays for every other form
   * of the URL and for the OpenAPI document. Calls `next` for any request it does not serve.
   */
  serveFast(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'POST') return next();
    const url = req.originalUrl;
    const query = url.indexOf('?');
    const match = CANONICAL_INGEST_PATH.exec(query === -1 ? url : url.slice(0, query));
    if (!match) return next();
    const sourceId = match[1];
    this.ingest
      .sourceFor(sourceId)
      .then((source) => this.ingest.receive(source, ingestRequestOf(req), res))
      .then(
        (answer) => {
          res.status(answer.status === 'duplicate' ? 200 : 202).json(successBody(answer, traceIdOf(req)));
        },
        (error: unknown) => respondWithError(error, req, res, this.errorLogger),
      )
      // answering itself failed (the socket is gone, say): Express's own error handling takes over
      .catch(next);
  }

  @Post('ingest/:source_id')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'ingest.receive',
    summary: 'Receive a webhook for a source: verified over the raw bytes, stored, then answered',
    description:
      'The path names the source. The request is verified over its raw bytes by the source’s scheme (the ' +
      'headers below, or `?token=`), stored, and answered 202 before it is processed; processing turns it into ' +
      'events (see the inbound-events history). A request already stored (same sender id, provider event id or ' +
      'body) answers 200 with status "duplicate" and the first inbound event id. JSON and form bodies are taken.',
  })
  @ApiIngestVerification()
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody(BODY)
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({ status: 200, description: 'A duplicate: the first inbound event id, status "duplicate"' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 429, 503)
  async receive(
    @Param('source_id') sourceId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestAcceptedDto> {
    return this.ingest.receive(await this.ingest.sourceFor(sourceId), ingestRequestOf(req), res);
  }

  @Post('webhooks/incoming/:kind')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'ingest.receiveGeneric',
    summary: 'Receive a generic webhook; the source is named by X-Webhook-ID and `kind` is the event type fallback',
    description:
      'Like `POST /api/v1/ingest/{source_id}`, for senders that put the source id in a header: X-Webhook-ID ' +
      'names the source and `kind` (`message`, `document`, …) is the event type when neither the body nor ' +
      'X-Webhook-Event names one (it comes before the source’s `config.default_event_type`). Verified by the ' +
      'source’s scheme, stored, answered 202 (200 "duplicate" for a request already stored).',
  })
  @ApiHeader({ name: 'X-Webhook-ID', required: true, description: 'The source id (src_…)' })
  @ApiIngestVerification()
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody(BODY)
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({ status: 200, description: 'A duplicate: the first inbound event id, status "duplicate"' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 429, 503)
  async incoming(
    @Param('kind') kind: string,
    @Headers('x-webhook-id') sourceId: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestAcceptedDto> {
    return this.ingest.receive(await this.ingest.sourceFor(sourceId), ingestRequestOf(req, kind), res);
  }
}
