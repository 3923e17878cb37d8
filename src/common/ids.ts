import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export const ID_PREFIXES = {
  tenant: 'ten',
  apiKey: 'key',
  subscription: 'wh',
  event: 'evt',
  delivery: 'dlv',
  batch: 'bat',
  attempt: 'att',
  inboundEvent: 'in',
  source: 'src',
  notification: 'ntf',
  rule: 'rule',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * ulid's PRNG: one byte of a pooled cryptographically random buffer per call, as a fraction in
 * [0, 1) (a multiple of 1/256, so each of ulid's 32 characters is equally likely). ulid's own
 * PRNG calls crypto.getRandomValues once per character.
 */
export function pooledRandom(): number {
  if (poolOffset >= POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] / 256;
}

/**
 * Monotonic ULIDs: within one millisecond the random part of the previous id is incremented, so
 * the ids made by this process sort in the order they were made (random bits are drawn once per
 * millisecond).
 */
const nextUlid = monotonicFactory(pooledRandom);

/** A new opaque, time-sortable id with its type prefix: `evt_01jd…` (prefix, `_`, a lower-case ULID). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid().toLowerCase()}`;
}

/** True when `id` looks like an id of `kind`; used to answer 404 early for malformed ids. */
export function isId(kind: IdKind, id: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]{26}$`).test(id);
}
