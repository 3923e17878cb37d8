import { Agent, request } from 'undici';
import { checkDestinationUrl, guardedLookup, UrlPolicy } from '../../common/url-guard';

/** How the reconciliation job reaches one YClients / Altegio location. */
export interface YclientsApiAccess {
  /** API base including the version, e.g. `https://api.yclients.com/api/v1` or the Altegio equivalent. */
  apiUrl: string;
  partnerToken: string;
  userToken: string | null;
  companyId: string;
}

/** Records per page asked for. */
export const PAGE_SIZE = 100;
/** Pages read in one run at most; the rest waits for the next run (the watermark only moves over what was read). */
export const MAX_PAGES = 50;
const TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * The part of the YClients REST API reconciliation needs: `GET {api_url}/records/{company_id}`
 * with `changed_after`, paged by `page` and `count`, authorised by `Bearer <partner_token>, User <user_token>`.
 * Outbound URLs get the same SSRF checks as subscriptions (ALLOW_HTTP_URLS, ALLOW_PRIVATE_URLS).
 */
export class YclientsApiClient {
  private readonly agent: Agent;

  constructor(private readonly policy: UrlPolicy) {
    this.agent = new Agent({ connect: { lookup: guardedLookup(policy.allowPrivate), timeout: TIMEOUT_MS } });
  }

  /** Every record changed after `changedAfter` (an ISO-8601 text with offset), page by page. */
  async *changedRecords(access: YclientsApiAccess, changedAfter: string): AsyncGenerator<Record<string, unknown>[]> {
    const refused = await checkDestinationUrl(access.apiUrl, this.policy);
    if (refused) throw new Error(`config.api_url is refused: ${refused}`);
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const { records, total } = await this.page(access, changedAfter, page);
      if (records.length > 0) yield records;
      const seen = (page - 1) * PAGE_SIZE + records.length;
      if (records.length < PAGE_SIZE || (total !== null && seen >= total)) return;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async page(
    access: YclientsApiAccess,
    changedAfter: string,
    page: number,
  ): Promise<{ records: Record<string, unknown>[]; total: number | null }> {
    const url = new URL(`${access.apiUrl.replace(/\/+$/, '')}/records/${encodeURIComponent(access.companyId)}`);
    url.searchParams.set('changed_after', changedAfter);
    url.searchParams.set('page', String(page));
    url.searchParams.set('count', String(PAGE_SIZE));
    const authorization = `Bearer ${access.partnerToken}${access.userToken ? `, User ${access.userToken}` : ''}`;
    const response = await request(url, {
      dispatcher: this.agent,
      method: 'GET',
      headers: { accept: 'application/vnd.yclients.v2+json', 'content-type': 'application/json', authorization },
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(TIMEOUT_MS * 2),
    });
    const text = await readText(response.body);
    if (response.statusCode !== 200) {
      throw new Error(`GET /records/${access.companyId} answered HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
    }
    return parseRecordsPage(text);
  }
}

async function readText(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new Error(`the records answer is larger than ${MAX_RESPONSE_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `{success, data: [records], meta: {total_count}}`; throws when the answer is not that. */
export function parseRecordsPage(text: string): { records: Record<string, unknown>[]; total: number | null } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('the records answer is not JSON');
  }
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (o.success === false) throw new Error(`the records answer says success: false (${JSON.stringify(o.meta ?? {})})`);
  if (!Array.isArray(o.data)) throw new Error('the records answer has no data array');
  const records = o.data.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  const meta = (typeof o.meta === 'object' && o.meta !== null ? o.meta : {}) as Record<string, unknown>;
  const total = typeof meta.total_count === 'number' ? meta.total_count : null;
  return { records, total };
}
