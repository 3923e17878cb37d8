import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RawResponse } from '../../common/envelope.interceptor';
import { ApiEnvelope, ApiErrors } from '../../common/swagger';
import { IngestAcceptedDto } from '../../webhooks/dto/ingest.dto';
import { IngestService, ingestRequestOf } from '../../webhooks/ingest.service';
import { subscriptionChallenge } from './whatsapp.handshake';

const EXAMPLE = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Anna' }, wa_id: '79161234567' }],
            messages: [
              { from: '79161234567', id: 'wamid.HBgL…', timestamp: '1726140300', type: 'text', text: { body: 'Hi' } },
            ],
          },
        },
      ],
    },
  ],
};

/** The Callback URL of a Meta app's WhatsApp webhooks: the subscription handshake (GET) and notifications (POST). */
@ApiTags('integrations')
@Controller('api/v1/integrations/whatsapp')
export class WhatsappController {
  constructor(private readonly ingest: IngestService) {}

  @Get(':source_id')
  @RawResponse()
  @ApiOperation({
    operationId: 'whatsapp.verify',
    summary: 'Answer Meta’s webhook verification request',
    description:
      'Answers 200 with `hub.challenge` as plain text when `hub.mode` is `subscribe` and `hub.verify_token` equals ' +
      'the source’s `config.verify_token`; 403 FORBIDDEN otherwise.',
  })
  @ApiQuery({ name: 'hub.mode', example: 'subscribe' })
  @ApiQuery({ name: 'hub.verify_token', example: 'meatyhamhock' })
  @ApiQuery({ name: 'hub.challenge', example: '1158201444' })
  @ApiResponse({ status: 200, description: 'The hub.challenge, as text/plain', content: { 'text/plain': {} } })
  @ApiErrors(403, 404)
  async verify(
    @Param('source_id') sourceId: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const challenge = subscriptionChallenge(query, (await this.ingest.sourceFor(sourceId, 'whatsapp')).config);
    res.type('text/plain');
    return challenge;
  }

  @Post(':source_id')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'whatsapp.receive',
    summary: 'Receive WhatsApp Cloud API notifications',
    description:
      'Verified with the app secret (`X-Hub-Signature-256`), stored, then answered **200** (Meta treats anything ' +
      'but 200 as a failure and resends) with `{webhook_event_id, status: "accepted"}`, or status "duplicate" for ' +
      'a notification already stored (same message ids, or same status of the same message).',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<hex HMAC-SHA256(app secret, body)>' })
  @ApiConsumes('application/json')
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: EXAMPLE } })
  @ApiEnvelope(IngestAcceptedDto, { status: 200, description: 'Stored (status "accepted") or a duplicate' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 429, 503)
  async receive(
    @Param('source_id') sourceId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestAcceptedDto> {
    // Meta wants 200 for every stored notification, a duplicate included (@HttpCode above)
    return this.ingest.receive(await this.ingest.sourceFor(sourceId, 'whatsapp'), ingestRequestOf(req), res);
  }
}
