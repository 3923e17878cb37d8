import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { IngestResult, IngestService } from '../../webhooks/ingest.service';
import type { Source } from '../../webhooks/source.entity';
import { SourcesService } from '../../webhooks/sources.service';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../../webhooks/verification/hex-signature.verifier';
import { sharedTokenHeader } from '../../webhooks/verification/token.verifier';
import { RECONCILIATION_HEADER } from './yclients.normalizer';

/** The notification a webhook would have carried for one change. */
export interface YclientsNotification {
  company_id: number | string;
  resource: string;
  resource_id: number | string;
  status: string;
  data: Record<string, unknown>;
}

/**
 * Stores a notification Hookhub builds itself (the reconciliation job's missed changes) through the
 * same pipeline as a received webhook: IngestService.accept verifies, deduplicates (the normaliser's
 * key is the same for a webhook and its replay), stores and queues. IngestService has no method that
 * stores without verifying, so the request is made to pass the source's own check.
 */
@Injectable()
export class YclientsReplayer {
  constructor(
    private readonly ingest: IngestService,
    private readonly sources: SourcesService,
  ) {}

  async replay(source: Source, notification: YclientsNotification, traceId: string): Promise<IngestResult> {
    const rawBody = Buffer.from(JSON.stringify(notification), 'utf8');
    const headers: IncomingHttpHeaders = { 'content-type': 'application/json', [RECONCILIATION_HEADER]: 'yclients' };
    const query: Record<string, unknown> = {};
    this.authenticate(source, rawBody, headers, query);
    return this.ingest.accept(source, { rawBody, headers, query, kind: null, traceId });
  }

  /** Adds what the source's verification scheme checks; throws for schemes a replay cannot satisfy. */
  private authenticate(source: Source, body: Buffer, headers: IncomingHttpHeaders, query: Record<string, unknown>) {
    const secret = this.sources.secretOf(source) ?? '';
    switch (source.scheme) {
      case 'none':
        return;
      case 'url-token':
        query.token = secret;
        return;
      case 'shared-token':
        headers[sharedTokenHeader(source.header).toLowerCase()] = secret;
        return;
      case 'hmac-sha256':
      case 'hmac-sha256-body': {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signed = source.scheme === 'hmac-sha256' ? `${timestamp}.` : '';
        const mac = createHmac('sha256', secret).update(signed).update(body).digest('hex');
        headers[(source.header?.trim() || WEBHOOK_SIGNATURE_HEADER).toLowerCase()] = `sha256=${mac}`;
        headers[WEBHOOK_TIMESTAMP_HEADER.toLowerCase()] = timestamp;
        return;
      }
      case 'standard-webhooks':
      case 'github':
      case 'stripe':
      case 'slack':
      case 'telegram':
      case 'whatsapp':
      case 'kommo-chats':
        throw new Error(
          `source ${source.id} uses the ${source.scheme} scheme; reconciliation replays only into url-token, ` +
            'shared-token, hmac-sha256, hmac-sha256-body or none sources',
        );
    }
  }
}
