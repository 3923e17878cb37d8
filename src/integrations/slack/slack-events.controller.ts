import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RawResponse } from '../../common/envelope.interceptor';
import { ApiEnvelope } from '../../common/swagger';
import { IngestAcceptedDto } from '../../webhooks/dto/ingest.dto';
import { ingestRequestOf } from '../../webhooks/ingest.service';
import { ApiSharedRouteErrors, SHARED_ROUTE_RULE } from '../../webhooks/shared-route.swagger';
import { SlackEventsService } from './slack-events.service';

const EXAMPLE = {
  type: 'event_callback',
  team_id: 'T0123ABCD',
  api_app_id: 'A0456EFGH',
  event_id: 'Ev07M3PQRSTU',
  event_time: 1726139999,
  event: {
    type: 'app_mention',
    user: 'U0789IJKL',
    text: '<@U0BOT1234> hi',
    channel: 'C0ABCDEF1',
    ts: '1726139999.000100',
  },
};

/** Slack's Events API Request URL (also takes slash commands and interactivity); verified with the signing secret. */
@ApiTags('integrations')
@Controller('api/v1/integrations/slack')
export class SlackEventsController {
  constructor(private readonly slack: SlackEventsService) {}

  @Post('events')
  @RawResponse()
  @ApiOperation({
    operationId: 'slack.receiveEvents',
    summary: 'Receive Slack Events API requests',
    description:
      'The source is the `source_id` query parameter of its ingest_url, else one of the sources whose ' +
      '`config.api_app_id` or `config.team_id` equals the body’s `api_app_id` / `team_id`. ' +
      SHARED_ROUTE_RULE +
      ' Every request is verified with the signing ' +
      'secret (`X-Slack-Signature`, 5 minutes tolerance). `url_verification` is answered 200 `{"challenge": "…"}` ' +
      'and not stored; Events API deliveries are stored and answered 202 in the usual envelope (200 for a retry of ' +
      'an `event_id` already stored); slash commands and interactions are stored and answered with an empty 200.',
  })
  @ApiHeader({
    name: 'X-Slack-Signature',
    required: true,
    description: '`v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`',
  })
  @ApiHeader({ name: 'X-Slack-Request-Timestamp', required: true, description: 'Unix seconds, within 5 minutes' })
  @ApiQuery({ name: 'source_id', required: false, description: 'The source (src_…), as in the ingest_url' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: EXAMPLE } })
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({
    status: 200,
    description:
      '`{"challenge": "…"}` (not enveloped) for url_verification; the first inbound event id with status ' +
      '"duplicate" for a retried event; an empty body for slash commands and interactions',
  })
  @ApiSharedRouteErrors()
  async events(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const answer = await this.slack.receive(ingestRequestOf(req));
    res.status(answer.status);
    return answer.body;
  }
}
