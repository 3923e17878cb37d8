import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import type { ErrorDetail } from './api-error';

/** Validates each item with a predicate, naming the rule in the message. */
export function EachMatches(
  predicate: (item: string) => boolean,
  rule: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'eachMatches',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.every((item) => typeof item === 'string' && predicate(item)),
        defaultMessage: (args: ValidationArguments) => `each of ${args.property} must be ${rule}`,
      },
    });
}

/** True for a JSON object: not an array, not null, not a string, number or boolean. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The field (or with `each: true`, each item of the array) must be a JSON object: `[]`, `"x"`, `1`,
 * `true` and `null` are refused with "<field> must be a JSON object". Put it on every object-typed
 * field of a request DTO, above `@ValidateNested()` where the object has its own DTO (ValidateNested
 * alone lets an array through).
 */
export function IsPlainObject(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPlainObject',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isPlainObject(value),
        defaultMessage: (args: ValidationArguments) =>
          options?.each
            ? `each item of ${args.property} must be a JSON object`
            : `${args.property} must be a JSON object`,
      },
    });
}

/** Refuses `null` for fields a partial update may omit but not clear (class-validator's IsOptional lets null through). */
export function refuseNulls(body: object, fields: string[]): ErrorDetail[] {
  return fields
    .filter((field) => (body as Record<string, unknown>)[field] === null)
    .map((field) => ({ field, message: `${field} cannot be null; omit it to leave it unchanged` }));
}

/** Not earlier than the object's `since` (either one unparsable is left to its own check): `since` after `until` is a 400. */
export function NotBeforeSince(): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBeforeSince',
      target: object.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const since = Date.parse(String((args.object as { since?: unknown }).since));
          const until = Date.parse(String(value));
          return Number.isNaN(since) || Number.isNaN(until) || since <= until;
        },
        defaultMessage: (args: ValidationArguments) => `${args.property} must not be earlier than since`,
      },
    });
}
