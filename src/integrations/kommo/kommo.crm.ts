import type { NormalizedEvent, SourceConfig } from '../provider';
import {
  customFieldsOf,
  Dict,
  dig,
  firstTime,
  isDict,
  isIndexed,
  listOf,
  stringifyScalars,
  text,
} from './kommo.fields';

/**
 * Kommo CRM webhooks (and digital-pipeline webhooks, same format): a PHP form
 * `{entity: {action: [item, …]}, account: {id, subdomain, _links: {self}}}`, several entities,
 * actions and indices in one body. See docs/integrations/kommo.md.
 */

export type CrmEntity = 'lead' | 'contact' | 'company' | 'customer' | 'task' | 'talk' | 'unsorted' | 'message';

interface BlockSpec {
  entity: CrmEntity;
  /** The actions Kommo sends for this block, in the order their events are produced. */
  actions: readonly string[];
}

const CARD_ACTIONS = ['add', 'responsible', 'update', 'restore', 'delete', 'note'] as const;

/** Top-level form keys, in the order their events are produced. */
const BLOCKS: Readonly<Record<string, BlockSpec>> = {
  leads: { entity: 'lead', actions: ['add', 'status', 'responsible', 'update', 'restore', 'delete', 'note'] },
  contacts: { entity: 'contact', actions: CARD_ACTIONS },
  companies: { entity: 'company', actions: CARD_ACTIONS },
  customers: { entity: 'customer', actions: CARD_ACTIONS },
  task: { entity: 'task', actions: ['add', 'responsible', 'update', 'delete'] },
  tasks: { entity: 'task', actions: ['add', 'responsible', 'update', 'delete'] },
  talk: { entity: 'talk', actions: ['add', 'update', 'delete'] },
  talks: { entity: 'talk', actions: ['add', 'update', 'delete'] },
  unsorted: { entity: 'unsorted', actions: ['add', 'update', 'delete'] },
  message: { entity: 'message', actions: ['add'] },
  messages: { entity: 'message', actions: ['add'] },
};
const BLOCK_ORDER = Object.keys(BLOCKS);

const VERBS: Readonly<Record<string, string>> = {
  add: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  status: 'status_changed',
  responsible: 'responsible_changed',
};

/** Kommo's numeric `element_type`. */
const ELEMENT_TYPES: Readonly<Record<string, string>> = {
  '1': 'contact',
  '2': 'lead',
  '3': 'company',
  '4': 'task',
  '12': 'customer',
};

/** System statuses of every pipeline. */
export const WON_STATUS = '142';
export const LOST_STATUS = '143';

/** Note types that are call records (numeric in webhooks, named in API v4). */
const CALL_NOTES: Readonly<Record<string, 'incoming' | 'outgoing'>> = {
  '10': 'incoming',
  call_in: 'incoming',
  '11': 'outgoing',
  call_out: 'outgoing',
};

/** Where each entity keeps its time of change, most precise first. */
const TIME_FIELDS: Readonly<Record<CrmEntity | 'note', readonly string[]>> = {
  lead: ['updated_at', 'last_modified', 'created_at', 'date_create'],
  contact: ['updated_at', 'last_modified', 'created_at', 'date_create'],
  company: ['updated_at', 'last_modified', 'created_at', 'date_create'],
  customer: ['updated_at', 'last_modified', 'created_at', 'date_create'],
  task: ['updated_at', 'last_modified', 'created_at', 'date_create'],
  talk: ['updated_at', 'created_at'],
  message: ['created_at'],
  note: ['updated_at', 'created_at', 'timestamp_x', 'date_create'],
  // unsorted items carry no time of change (created_at is when the request arrived in Kommo)
  unsorted: [],
};

/** The rule-engine trigger of an event type; others use their subtype. */
const TRIGGERS: Readonly<Record<string, string>> = {
  'lead.created': 'lead_created',
  'lead.updated': 'lead_updated',
  'lead.status_changed': 'stage_changed',
  'message.received': 'message_received',
};

export interface KommoAccount {
  id: string | null;
  subdomain: string | null;
  url: string | null;
}

/** One item of one `entity[action]` block. */
export interface CrmChange {
  /** The form key and action, e.g. `leads`, `status`; `index` is the item's position. */
  block: string;
  action: string;
  index: number;
  /** The entity after routing on `type` (companies arrive under `contacts` with `type=company`). */
  entity: CrmEntity | 'note';
  id: string;
  /** The item (a note's fields, unwrapped from `[note]`). */
  item: Dict;
}

export interface CrmRead {
  account: KommoAccount;
  changes: CrmChange[];
  /** `entity[action]` blocks Hookhub does not map, e.g. `catalogs[add]`. */
  ignored: string[];
}

/** True when the payload holds at least one Kommo CRM block. */
export function isCrmPayload(payload: unknown): payload is Dict {
  return isDict(payload) && Object.keys(payload).some((key) => Object.hasOwn(BLOCKS, key) && isDict(payload[key]));
}

export function accountOf(payload: Dict): KommoAccount {
  return {
    id: text(dig(payload, 'account', 'id')),
    subdomain: text(dig(payload, 'account', 'subdomain'))?.toLowerCase() ?? null,
    url: text(dig(payload, 'account', '_links', 'self')),
  };
}

/**
 * The account part of entity keys: `account[id]`, else the source's `config.account_id`, else the
 * subdomain (body, then config); a body that names another account than the source's config is refused.
 */
export function accountKeyOf(account: KommoAccount, config: SourceConfig): string {
  const configId = text(config.account_id);
  const configSubdomain = text(config.subdomain)?.toLowerCase() ?? null;
  if (account.id && configId && account.id !== configId) {
    throw new Error(`the body is for Kommo account ${account.id}, but this source is for account ${configId}`);
  }
  if (account.subdomain && configSubdomain && account.subdomain !== configSubdomain) {
    throw new Error(
      `the body is for Kommo subdomain "${account.subdomain}", but this source is for "${configSubdomain}"`,
    );
  }
  const key = account.id ?? configId ?? account.subdomain ?? configSubdomain;
  if (!key) {
    throw new Error(
      'no Kommo account: the body has no account[id] or account[subdomain] and the source config has no account_id or subdomain',
    );
  }
  return key;
}

/** Every item of every known block, in a fixed order; throws when an item lacks its id. */
export function readCrm(payload: Dict): CrmRead {
  const changes: CrmChange[] = [];
  const ignored: string[] = [];
  const blocks = Object.keys(payload)
    .filter((key) => key !== 'account')
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const block of blocks) {
    const spec = Object.hasOwn(BLOCKS, block) ? BLOCKS[block] : undefined;
    const actions = payload[block];
    if (!spec || !isDict(actions)) {
      ignored.push(block);
      continue;
    }
    const names = Object.keys(actions).sort((a, b) => rank(a, spec.actions) - rank(b, spec.actions));
    for (const action of names) {
      if (!spec.actions.includes(action)) {
        ignored.push(`${block}[${action}]`);
        continue;
      }
      itemsOf(actions[action]).forEach((item, index) => changes.push(changeOf(spec, block, action, index, item)));
    }
  }
  return { account: accountOf(payload), changes, ignored };
}

function rank(key: string, order: readonly string[] = BLOCK_ORDER): number {
  const at = order.indexOf(key);
  return at === -1 ? order.length : at;
}

/** The items of one action: a list, an indexed object, or a bare id (`{entity: {delete: id}}`). */
function itemsOf(value: unknown): Dict[] {
  if (text(value) !== null) return [{ id: value }];
  if (isDict(value) && !isIndexed(value)) return [value];
  return listOf(value).flatMap((entry): Dict[] => {
    if (text(entry) !== null) return [{ id: entry }];
    // the docs' task example wraps each item once more: task[update][0][0][id]
    if (Array.isArray(entry)) return itemsOf(entry);
    if (!isDict(entry)) return [];
    return !Object.hasOwn(entry, 'id') && isIndexed(entry) ? itemsOf(entry) : [entry];
  });
}

function changeOf(spec: BlockSpec, block: string, action: string, index: number, raw: Dict): CrmChange {
  const where = `${block}[${action}][${index}]`;
  if (action === 'note') {
    const note = isDict(raw.note) ? raw.note : raw;
    return { block, action, index, entity: 'note', id: required(note.id, `${where}[note][id]`), item: note };
  }
  const idField = spec.entity === 'talk' ? 'talk_id' : spec.entity === 'unsorted' ? 'uid' : 'id';
  const id = required(raw[idField] ?? (idField === 'id' ? undefined : raw.id), `${where}[${idField}]`);
  const entity = spec.entity === 'contact' && text(raw.type)?.toLowerCase() === 'company' ? 'company' : spec.entity;
  return { block, action, index, entity, id, item: raw };
}

function required(value: unknown, field: string): string {
  const id = text(value);
  if (id === null) throw new Error(`${field} is missing: a Kommo item needs its id`);
  return id;
}

/** The time the change happened, from the item's own fields (null when it carries none, e.g. deletions). */
export function changeTime(change: CrmChange): { at: Date; raw: string } | null {
  return firstTime(change.item, TIME_FIELDS[change.entity]);
}

export function triggerOf(eventType: string): string {
  return TRIGGERS[eventType] ?? eventType.replace('.', '_');
}

/** The events one change means: the main one, plus deal.won / deal.lost / task.completed where they apply. */
export function changeEvents(change: CrmChange, account: KommoAccount, accountKey: string): NormalizedEvent[] {
  const time = changeTime(change);
  const item = itemData(change.item);
  const event = (eventType: string, extra: Dict = {}): NormalizedEvent => ({
    eventType,
    eventSubtype: eventType.replace('.', '_'),
    entityType: change.entity,
    entityId: change.id,
    entityKey: `kommo:${accountKey}:${change.entity}:${change.id}`,
    data: {
      account,
      action: change.action,
      [change.entity]: item,
      ...extra,
      occurred_at: time?.at.toISOString() ?? null,
    },
    occurredAt: time?.at ?? null,
  });
  switch (change.entity) {
    case 'note':
      return [event(noteEventType(change.item), { parent: noteParent(change) })];
    case 'message':
      return [event(text(change.item.type)?.toLowerCase() === 'outgoing' ? 'message.sent' : 'message.received')];
    case 'unsorted':
      return [event(`unsorted.${unsortedVerb(change)}`)];
    case 'lead':
    case 'contact':
    case 'company':
    case 'customer':
    case 'task':
    case 'talk':
      return [event(`${change.entity}.${VERBS[change.action]}`), ...followUps(change).map((type) => event(type))];
  }
}

function followUps(change: CrmChange): string[] {
  if (change.entity === 'lead' && change.action === 'status') {
    const status = text(change.item.status_id);
    if (status === WON_STATUS) return ['deal.won'];
    if (status === LOST_STATUS) return ['deal.lost'];
  }
  if (change.entity === 'task' && (change.action === 'add' || change.action === 'update')) {
    // action_close says "closed by this very update"; without it (older accounts) status=1 does
    const close = text(change.item.action_close);
    if (close === null ? text(change.item.status) === '1' : close === '1') return ['task.completed'];
  }
  return [];
}

function unsortedVerb(change: CrmChange): string {
  if (change.action !== 'delete') return VERBS[change.action];
  const how = text(change.item.action)?.toLowerCase();
  return how === 'accept' ? 'accepted' : how === 'decline' ? 'declined' : 'deleted';
}

function noteEventType(note: Dict): string {
  const type = text(note.note_type)?.toLowerCase() ?? '';
  const call = Object.hasOwn(CALL_NOTES, type) ? CALL_NOTES[type] : undefined;
  return call ? `call.${call}` : 'note.created';
}

/** The card a note was added to: `element_type`/`element_id`, else the block it came in. */
function noteParent(change: CrmChange): { type: string; id: string | null } {
  const byElement = text(change.item.element_type);
  const type =
    byElement && Object.hasOwn(ELEMENT_TYPES, byElement) ? ELEMENT_TYPES[byElement] : BLOCKS[change.block].entity;
  return { type, id: text(change.item.element_id) };
}

/** The item as subscribers get it: every scalar a string, custom fields as `[{id, name, code?, values: [{value, enum?}]}]`. */
function itemData(raw: Dict): Dict {
  const item = stringifyScalars(raw) as Dict;
  if (Object.hasOwn(item, 'custom_fields')) item.custom_fields = customFieldsOf(item.custom_fields);
  return item;
}
