/** Small readers for Kommo payloads: form-decoded values are strings, JSON relays may carry numbers. */

export type Dict = Record<string, unknown>;

export const isDict = (value: unknown): value is Dict =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty trimmed string, or a finite number as a string; null otherwise. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** `obj[a][b]…` when every step is an object, else undefined. */
export function dig(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (!isDict(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

const NUMERIC_KEY = /^\d+$/;

/** The entries of a PHP list: an array, or an object keyed `"0"`, `"1"`, … (qs turns big indices into keys). */
export function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!isDict(value)) return [];
  return Object.keys(value)
    .sort((a, b) => (NUMERIC_KEY.test(a) && NUMERIC_KEY.test(b) ? Number(a) - Number(b) : a.localeCompare(b)))
    .map((key) => value[key]);
}

/** True for `{"0": {...}, "1": {...}}`: an indexed list, not an item. */
export function isIndexed(value: Dict): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => NUMERIC_KEY.test(key));
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A Kommo time: Unix seconds (string or number; milliseconds when above 10^12), or the legacy
 * `"YYYY-MM-DD HH:MM:SS"` of notes and tasks, which names no zone and is read as UTC. Null for
 * anything else, and for 0.
 */
export function kommoTime(value: unknown): Date | null {
  const raw = text(value);
  if (raw === null) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    if (n <= 0) return null;
    return new Date(n >= 1e12 ? n : n * 1000);
  }
  const m = LOCAL_DATE_TIME.exec(raw);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The first field of `item` that holds a readable time, and its raw value. */
export function firstTime(item: Dict, fields: readonly string[]): { at: Date; raw: string } | null {
  for (const field of fields) {
    const at = kommoTime(item[field]);
    if (at) return { at, raw: text(item[field])! };
  }
  return null;
}

/** Numbers become strings, recursively (a JSON relay then looks like the form body; money stays a decimal string). */
export function stringifyScalars(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (isDict(value)) {
    const out: Dict = {};
    for (const [key, child] of Object.entries(value)) out[key] = stringifyScalars(child);
    return out;
  }
  return value;
}

export interface CustomFieldValue {
  value: unknown;
  enum?: string;
}

export interface CustomField {
  id: string | null;
  name: string | null;
  code?: string;
  values: CustomFieldValue[];
}

/**
 * `custom_fields[n][id|name|code|values[k][value|enum]]`, where date and checkbox fields send a bare
 * `values[k]`: every value becomes `{value, enum?}`.
 */
export function customFieldsOf(value: unknown): CustomField[] {
  return listOf(value)
    .filter(isDict)
    .map((field) => {
      const values = listOf(field.values).map((v): CustomFieldValue => {
        if (!isDict(v)) return { value: v };
        const enumId = text(v.enum);
        return enumId === null ? { value: v.value } : { value: v.value, enum: enumId };
      });
      const code = text(field.code);
      return { id: text(field.id), name: text(field.name), ...(code === null ? {} : { code }), values };
    });
}
