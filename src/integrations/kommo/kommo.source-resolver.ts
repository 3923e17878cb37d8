import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { IngestService } from '../../webhooks/ingest.service';
import type { Source } from '../../webhooks/source.entity';
import { SourcesService } from '../../webhooks/sources.service';
import { accountOf } from './kommo.crm';
import { isDict, text } from './kommo.fields';

type Lookup = { key: 'account_id' | 'subdomain'; value: string };

/**
 * Finds the Kommo source of a request to POST /api/v1/integrations/kommo/webhook (CONTRACT §5.2): the
 * `X-Org-Id` header (an account id or subdomain), else the body's `account[id]`, else its
 * `account[subdomain]`, matched against the sources' `config.account_id` / `config.subdomain`.
 */
@Injectable()
export class KommoSourceResolver {
  constructor(
    private readonly ingest: IngestService,
    private readonly sources: SourcesService,
  ) {}

  /** The active source, or 404 (no such account) / 403 (its source is disabled). */
  async resolve(orgId: string | undefined, rawBody: Buffer, contentType: string | undefined): Promise<Source> {
    const header = orgId?.trim();
    const lookups: Lookup[] = header
      ? [
          { key: 'account_id', value: header },
          { key: 'subdomain', value: header.toLowerCase() },
        ]
      : this.fromBody(rawBody, contentType);
    const bodyAccountId = header ? null : (lookups.find((l) => l.key === 'account_id')?.value ?? null);
    for (const lookup of lookups) {
      const found = await this.sources.findByConfig('kommo', lookup.key, lookup.value);
      // the same subdomain exists on kommo.com and amocrm.ru: a subdomain match must not contradict account[id]
      if (found && !(lookup.key === 'subdomain' && contradicts(found, bodyAccountId))) {
        return this.ingest.sourceByConfig('kommo', lookup.key, lookup.value);
      }
    }
    throw new ApiError('NOT_FOUND', notFoundMessage(header, lookups));
  }

  private fromBody(rawBody: Buffer, contentType: string | undefined): Lookup[] {
    const payload = this.ingest.peek(rawBody, contentType);
    if (!isDict(payload)) return [];
    const account = accountOf(payload);
    const lookups: Lookup[] = [];
    if (account.id) lookups.push({ key: 'account_id', value: account.id });
    if (account.subdomain) lookups.push({ key: 'subdomain', value: account.subdomain });
    return lookups;
  }
}

function contradicts(source: Source, bodyAccountId: string | null): boolean {
  const configured = text(source.config.account_id);
  return bodyAccountId !== null && configured !== null && configured !== bodyAccountId;
}

function notFoundMessage(header: string | undefined, lookups: Lookup[]): string {
  if (header) return `No Kommo source has config.account_id or config.subdomain "${header}" (X-Org-Id).`;
  if (lookups.length === 0) {
    return 'No Kommo source found: the request has no X-Org-Id header and the body no account[id] or account[subdomain].';
  }
  const named = lookups.map((l) => `${l.key === 'account_id' ? 'account[id]' : 'account[subdomain]'}=${l.value}`);
  return `No Kommo source is configured for ${named.join(', ')} (set config.account_id or config.subdomain on the source).`;
}
