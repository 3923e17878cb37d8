import type { RuleCondition } from './notification-rule.entity';

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*$/;

/** A dotted path into the event: `data.client.phone`, `data.services[0].title`. */
export function isValidPath(path: string): boolean {
  return path.length > 0 && path.length <= 300 && path.split('.').every((segment) => SEGMENT.test(segment));
}

/** The value at `path`, or undefined when any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const segment of path.split('.')) {
    const [name, ...indices] = segment.split(/[[\]]+/).filter((part) => part !== '');
    node = step(node, name);
    for (const index of indices) node = Array.isArray(node) ? (node as unknown[])[Number(index)] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function step(node: unknown, key: string): unknown {
  if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
  return (node as Record<string, unknown>)[key];
}

/** Equality that treats numbers and their text alike (providers send ids both ways). */
function same(a: unknown, b: unknown): boolean {
  return typeof a === 'object' || typeof b === 'object'
    ? JSON.stringify(a) === JSON.stringify(b)
    : `${a as string}` === `${b as string}`;
}

/** True when the event meets the condition (docs/api.md: eq, neq, in, exists, contains). */
export function meets(root: unknown, condition: RuleCondition): boolean {
  const value = valueAt(root, condition.path);
  switch (condition.op) {
    case 'eq':
      return value !== undefined && same(value, condition.value);
    case 'neq':
      return !same(value, condition.value);
    case 'in':
      return Array.isArray(condition.value) && value !== undefined && condition.value.some((v) => same(value, v));
    case 'exists':
      return (value !== undefined && value !== null) === (condition.value ?? true);
    case 'contains':
      if (typeof value === 'string') return typeof condition.value === 'string' && value.includes(condition.value);
      return Array.isArray(value) && value.some((v) => same(v, condition.value));
  }
}

export function meetsAll(root: unknown, conditions: RuleCondition[]): boolean {
  return conditions.every((condition) => meets(root, condition));
}

/** Problems of a condition list, as validation details. */
export function conditionProblems(conditions: RuleCondition[]): { field: string; message: string }[] {
  return conditions.flatMap((c, i) => {
    const problems: { field: string; message: string }[] = [];
    if (!isValidPath(c.path))
      problems.push({
        field: `conditions[${i}].path`,
        message: `"${c.path}" is not a dotted path such as data.client.phone`,
      });
    if (c.op === 'in' && !Array.isArray(c.value))
      problems.push({ field: `conditions[${i}].value`, message: 'the in operator needs an array value' });
    if (c.op === 'exists' && c.value !== undefined && typeof c.value !== 'boolean') {
      problems.push({ field: `conditions[${i}].value`, message: 'the exists operator takes true, false or nothing' });
    }
    if ((c.op === 'eq' || c.op === 'neq' || c.op === 'contains') && c.value === undefined) {
      problems.push({ field: `conditions[${i}].value`, message: `the ${c.op} operator needs a value` });
    }
    return problems;
  });
}
