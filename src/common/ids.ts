import { ulid } from 'ulid';

export const ID_PREFIXES = {
  tenant: 'ten',
  apiKey: 'key',
  subscription: 'wh',
  event: 'evt',
  delivery: 'dlv',
  attempt: 'att',
  inboundEvent: 'in',
  source: 'src',
  notification: 'ntf',
  rule: 'rule',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** A new opaque, time-sortable id with its type prefix: `evt_01jd…`. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}

/** True when `id` looks like an id of `kind`; used to answer 404 early for malformed ids. */
export function isId(kind: IdKind, id: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]{26}$`).test(id);
}
