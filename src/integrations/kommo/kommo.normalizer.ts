import { createHash } from 'node:crypto';
import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';
import { chatsDedupKey, chatsEvents, chatsHookOf } from './kommo.chats';
import { accountKeyOf, changeEvents, changeTime, CrmRead, isCrmPayload, readCrm, triggerOf } from './kommo.crm';
import { Dict, isDict, text } from './kommo.fields';

/** Longest readable dedup key; longer lists of changes are hashed. */
const MAX_READABLE_KEY = 300;

/**
 * Kommo / amoCRM: CRM webhooks (PHP form bodies, several entities and items per request) and
 * Chats API hooks (JSON), in one normaliser.
 */
export class KommoNormalizer implements ProviderNormalizer {
  /**
   * CRM: `kommo:<account>:<block>.<action>:<id>@<updated_at>,…:<content hash>` — Kommo's retries
   * resend the same body and are dropped; a new change of the same entity has a new time and content.
   * Chats: the amojo message id. Null (the raw-body hash applies) for anything unreadable.
   */
  dedupKey(request: InboundRequest): string | null {
    try {
      const payload = request.payload;
      if (chatsHookOf(payload) !== null) return chatsDedupKey(payload as Dict);
      return isCrmPayload(payload) ? crmDedupKey(payload, readCrm(payload)) : null;
    } catch {
      return null;
    }
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const payload = request.payload;
    const config = request.source.config;
    if (chatsHookOf(payload) !== null) {
      const account = { amojo_id: text((payload as Dict).account_id) };
      return withContext(chatsEvents(payload as Dict, config), { family: 'chats', account });
    }
    if (isCrmPayload(payload)) return crmEvents(payload, config);
    const keys = isDict(payload) ? Object.keys(payload).slice(0, 10).join(', ') : typeof payload;
    throw new Error(
      `not a Kommo webhook: expected a form body such as leads[status][0][id]=… or a Chats API hook (got ${keys || 'an empty body'})`,
    );
  }
}

function crmEvents(payload: Dict, config: InboundRequest['source']['config']): NormalizedEvent[] {
  const read = readCrm(payload);
  const accountKey = accountKeyOf(read.account, config);
  const events = read.changes.flatMap((change) => changeEvents(change, read.account, accountKey));
  if (events.length === 0) {
    throw new Error(
      `no Kommo event Hookhub maps in the body (blocks: ${read.ignored.join(', ') || 'none'}); ` +
        'expected leads, contacts, companies, customers, task, talk, unsorted or message items',
    );
  }
  return withContext(events, {
    family: 'crm',
    account: read.account,
    changes: read.changes.map((c) => `${c.block}[${c.action}]:${c.id}`),
    ...(read.ignored.length > 0 ? { ignored: read.ignored } : {}),
  });
}

/**
 * The execution context goes on the first event only (the processor merges every event's context, the
 * last one winning): `trigger` is the first event's, `triggers` every event's, in order.
 */
function withContext(events: NormalizedEvent[], kommo: Dict): NormalizedEvent[] {
  const triggers = [...new Set(events.map((e) => triggerOf(e.eventType)))];
  const [first, ...rest] = events;
  return [{ ...first, context: { trigger: triggers[0], triggers, kommo } }, ...rest];
}

function crmDedupKey(payload: Dict, read: CrmRead): string | null {
  if (read.changes.length === 0) return null;
  const account = read.account.id ?? read.account.subdomain ?? '-';
  const parts = read.changes
    .map((c) => `${c.block}.${c.action}:${c.id}@${changeTime(c)?.raw ?? '-'}`)
    .sort()
    .join(',');
  const content = { ...payload };
  delete content.account;
  const hash = createHash('sha256').update(canonicalJson(content)).digest('hex');
  const readable = `kommo:${account}:${parts}:${hash.slice(0, 16)}`;
  return readable.length <= MAX_READABLE_KEY ? readable : `kommo:${account}:${read.changes.length}-changes:${hash}`;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isDict(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
