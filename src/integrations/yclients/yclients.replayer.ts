import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { IngestResult, IngestService } from '../../webhooks/ingest.service';
import type { Source } from '../../webhooks/source.entity';
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
 * same pipeline as a received webhook, minus verification: the normaliser's dedup key is the same
 * for a webhook and its replay, so a change that did arrive is not stored twice.
 */
@Injectable()
export class YclientsReplayer {
  constructor(private readonly ingest: IngestService) {}

  async replay(source: Source, notification: YclientsNotification, traceId: string): Promise<IngestResult> {
    const rawBody = Buffer.from(JSON.stringify(notification), 'utf8');
    const headers: IncomingHttpHeaders = { 'content-type': 'application/json', [RECONCILIATION_HEADER]: 'yclients' };
    return this.ingest.acceptTrusted(source, { rawBody, headers, kind: null, traceId });
  }
}
