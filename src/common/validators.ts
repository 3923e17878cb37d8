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

/** A JSON object (not an array, not null). */
export function IsPlainObject(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPlainObject',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} must be a JSON object`,
      },
    });
}

/** Refuses `null` for fields a partial update may omit but not clear (class-validator's IsOptional lets null through). */
export function refuseNulls(body: object, fields: string[]): ErrorDetail[] {
  return fields
    .filter((field) => (body as Record<string, unknown>)[field] === null)
    .map((field) => ({ field, message: `${field} cannot be null; omit it to leave it unchanged` }));
}
