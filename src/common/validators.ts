import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import type { ErrorDetail } from './api-error';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/** Header names a subscriber's extra headers may not override: ours carry the signature and routing. */
const RESERVED_HEADERS =
  /^(content-type|content-length|host|user-agent|transfer-encoding|connection|x-webhook-.*|x-event-id|x-delivery-.*|x-request-id|webhook-.*)$/i;

/** A flat object of string header values with valid, non-reserved names. */
export function IsHeaderMap(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isHeaderMap',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length <= 50 &&
            entries.every(
              ([name, v]) =>
                HEADER_NAME.test(name) &&
                !RESERVED_HEADERS.test(name) &&
                typeof v === 'string' &&
                v.length <= 2000 &&
                !/[\r\n]/.test(v),
            )
          );
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be an object of string header values (at most 50, no Content-Type, X-Webhook-*, X-Delivery-*, webhook-* or other reserved names)`;
        },
      },
    });
}

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
