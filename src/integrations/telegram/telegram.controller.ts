import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiEnvelope, ApiErrors } from '../../common/swagger';
import { IngestAcceptedDto } from '../../webhooks/dto/ingest.dto';
import { IngestService, ingestRequestOf } from '../../webhooks/ingest.service';

const EXAMPLE = {
  update_id: 872356104,
  message: {
    message_id: 4021,
    from: { id: 123456789, is_bot: false, first_name: 'Ivan', username: 'ivan_p' },
    chat: { id: 123456789, type: 'private' },
    date: 1726140200,
    text: '/start promo_42',
  },
};

/** The URL given to the Bot API's setWebhook; verified by X-Telegram-Bot-Api-Secret-Token. */
@ApiTags('integrations')
@Controller('api/v1/integrations/telegram')
export class TelegramController {
  constructor(private readonly ingest: IngestService) {}

  @Post(':source_id')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'telegram.receive',
    summary: 'Receive Telegram Bot API updates',
    description:
      'Pass the source’s ingest_url as `url` and its secret as `secret_token` to setWebhook. Each update is ' +
      'verified (`X-Telegram-Bot-Api-Secret-Token` equals the secret), stored and answered 202 at once; an ' +
      '`update_id` already stored answers 200 "duplicate". Telegram resends updates answered with anything but 2xx.',
  })
  @ApiHeader({ name: 'X-Telegram-Bot-Api-Secret-Token', required: true, description: 'setWebhook’s secret_token' })
  @ApiConsumes('application/json')
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: EXAMPLE } })
  @ApiEnvelope(IngestAcceptedDto, { status: 202, description: 'Stored; processed asynchronously' })
  @ApiResponse({ status: 200, description: 'A duplicate: the first inbound event id, status "duplicate"' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 429, 503)
  async receive(
    @Param('source_id') sourceId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestAcceptedDto> {
    return this.ingest.receive(await this.ingest.sourceFor(sourceId, 'telegram'), ingestRequestOf(req), res);
  }
}
