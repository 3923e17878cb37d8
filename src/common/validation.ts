import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, ErrorDetail } from './api-error';

/**
 * Which failed constraint names a field's problem best, first to last: an unknown field, then the
 * field's type or shape, then emptiness; any other constraint (length, range, pattern) after these,
 * in the order class-validator reports them. Decorators register bottom-up, and applyDecorators
 * top-down, so the report order alone would make "must be shorter than 200 characters" the message
 * of a number.
 */
const MESSAGE_PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isPlainObject',
  'nestedValidation',
  'isIn',
  'isEnum',
  'isISO8601',
  'isDateString',
  'isUrl',
  'isNotEmpty',
  'arrayNotEmpty',
];

function rank(constraint: string): number {
  const index = MESSAGE_PRIORITY.indexOf(constraint);
  return index === -1 ? MESSAGE_PRIORITY.length : index;
}

/** The one message of a field that failed `constraints` while holding `value`. */
export function fieldMessage(field: string, value: unknown, constraints: Record<string, string>): string {
  const names = Object.keys(constraints);
  // a missing field fails every constraint it has: "name is required" says what to do
  if ((value === undefined || value === null) && !names.includes('whitelistValidation')) return `${field} is required`;
  const best = names.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  return constraints[best];
}

/**
 * Flattens class-validator's tree into `{field: 'a.b[0].c', message}` details: one per field, with
 * its most useful message; a field that is itself wrong (an array where an object belongs) hides
 * the details of what it holds.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      return [{ field, message: fieldMessage(field, error.value, error.constraints) }];
    }
    return flattenValidationErrors(error.children ?? [], field);
  });
}

/** Global pipe: transforms DTOs, refuses unknown fields, answers VALIDATION_FAILED with one detail per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transformOptions: { enableImplicitConversion: false },
    // keep each error's value (Nest drops it on errors with children): a missing field is told apart by it
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const fields = [...new Set(details.map((d) => d.field))].join(', ');
      return ApiError.validation(`The request is invalid: check ${fields}.`, details);
    },
  });
}
