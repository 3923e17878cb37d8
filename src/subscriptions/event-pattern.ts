import { registerDecorator, ValidationArguments } from 'class-validator';

const MAX_LENGTH = 200;
const WILDCARD = '*';
const PREFIX_SUFFIX = '.*';

/** Event types: lowercase dot-separated segments of [a-z0-9_-], e.g. `deal.won`, `lead.status_changed`, max 200 chars. */
export const EVENT_TYPE_PATTERN = /^(?=.{1,200}$)[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/** True when `type` is a well-formed event type. */
export function isValidEventType(type: string): boolean {
  return typeof type === 'string' && EVENT_TYPE_PATTERN.test(type);
}

/** Patterns: an exact type, a prefix wildcard `task.*` (any type starting with `task.`, any depth), or `*`. */
export function isValidEventPattern(pattern: string): boolean {
  if (typeof pattern !== 'string' || pattern.length > MAX_LENGTH) return false;
  if (pattern === WILDCARD) return true;
  const prefix = wildcardPrefix(pattern);
  return isValidEventType(prefix ?? pattern);
}

/** True when `eventType` is selected by `pattern`; an invalid pattern selects nothing. */
export function matchesEventPattern(pattern: string, eventType: string): boolean {
  if (!isValidEventPattern(pattern)) return false;
  if (pattern === WILDCARD) return true;
  const prefix = wildcardPrefix(pattern);
  return prefix === undefined ? pattern === eventType : eventType.startsWith(`${prefix}.`);
}

/** True when any of `patterns` selects `eventType`. */
export function matchesAnyPattern(patterns: string[], eventType: string): boolean {
  return patterns.some((pattern) => matchesEventPattern(pattern, eventType));
}

/** The subscriptions among `active` whose patterns select `eventType` (the fan-out of an event). */
export function selectedBy<T extends { events: string[] }>(active: T[], eventType: string): T[] {
  return active.filter((s) => matchesAnyPattern(s.events, eventType));
}

/** `task` for `task.*`; undefined when the pattern has no trailing wildcard. */
function wildcardPrefix(pattern: string): string | undefined {
  return pattern.endsWith(PREFIX_SUFFIX) ? pattern.slice(0, -PREFIX_SUFFIX.length) : undefined;
}

/** Validates an event-type pattern of a query or body: an exact type (`deal.won`), a prefix wildcard (`deal.*`) or `*`. */
export function IsEventPattern(): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEventPattern',
      target: object.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidEventPattern(value),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be an event type (deal.won), a prefix wildcard (deal.*) or *`,
      },
    });
}
