import { Injectable } from '@nestjs/common';
import { IngestService } from '../../webhooks/ingest.service';
import type { Source } from '../../webhooks/source.entity';
import type { ConfigMatch, SharedCandidates } from '../../webhooks/shared-route';
import { accountOf } from './kommo.crm';
import { isDict, text } from './kommo.fields';

/**
 * Finds the Kommo sources a request to POST /api/v1/integrations/kommo/webhook may belong to
 * (docs/api.md): those whose `config.account_id` / `config.subdomain` equals the `X-Org-Id` header (an account
 * id or subdomain), else the body's `account[id]` or `account[subdomain]`, in any tenant. Which of
 * them takes the request is decided by their own verification (IngestService.accept).
 */
@Injectable()
export class KommoSourceResolver {
  constructor(private readonly ingest: IngestService) {}

  /** The candidates, or 404 (no source names the account) / 403 (every source that does is disabled). */
  async candidates(
    orgId: string | undefined,
    rawBody: Buffer,
    contentType: string | undefined,
  ): Promise<SharedCandidates> {
    const header = orgId?.trim();
    const matches: ConfigMatch[] = header
      ? [
          { key: 'account_id', value: header },
          { key: 'subdomain', value: header.toLowerCase() },
        ]
      : this.fromBody(rawBody, contentType);
    const bodyAccountId = header ? null : (matches.find((m) => m.key === 'account_id')?.value ?? null);
    return this.ingest.candidatesFor({
      provider: 'kommo',
      matches,
      // the same subdomain exists on kommo.com and amocrm.ru: a subdomain match must not contradict account[id]
      accepts: (source) => !contradicts(source, bodyAccountId),
      notFound: notFoundMessage(header, matches),
    });
  }

  private fromBody(rawBody: Buffer, contentType: string | undefined): ConfigMatch[] {
    const payload = this.ingest.peek(rawBody, contentType);
    if (!isDict(payload)) return [];
    const account = accountOf(payload);
    const matches: ConfigMatch[] = [];
    if (account.id) matches.push({ key: 'account_id', value: account.id });
    if (account.subdomain) matches.push({ key: 'subdomain', value: account.subdomain });
    return matches;
  }
}

function contradicts(source: Source, bodyAccountId: string | null): boolean {
  const configured = text(source.config.account_id);
  return bodyAccountId !== null && configured !== null && configured !== bodyAccountId;
}

function notFoundMessage(header: string | undefined, matches: ConfigMatch[]): string {
  if (header) return `No Kommo source has config.account_id or config.subdomain "${header}" (X-Org-Id).`;
  if (matches.length === 0) {
    return 'No Kommo source found: the request has no X-Org-Id header and the body no account[id] or account[subdomain].';
  }
  const named = matches.map((m) => `${m.key === 'account_id' ? 'account[id]' : 'account[subdomain]'}=${m.value}`);
  return `No Kommo source is configured for ${named.join(', ')} (set config.account_id or config.subdomain on the source).`;
}
