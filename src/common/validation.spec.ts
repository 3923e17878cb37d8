import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  validate,
  ValidateNested,
} from 'class-validator';
import { fieldMessage, flattenValidationErrors } from './validation';
import { IsPlainObject } from './validators';

class Verification {
  @IsString()
  @IsNotEmpty()
  scheme: string;

  @IsOptional()
  @IsString()
  @MaxLength(10)
  secret?: string;
}

/** Declared like the DTOs: several constraints per field, one combined decorator. */
class Body {
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  name: string;

  @IsOptional()
  @IsPlainObject()
  @ValidateNested()
  @Type(() => Verification)
  verification?: Verification;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Verification)
  list?: Verification[];

  @IsOptional()
  @applyDecorators(IsInt(), Min(1), Max(100))
  limit?: number;
}

async function detailsOf(plain: unknown) {
  return flattenValidationErrors(
    await validate(plainToInstance(Body, plain), { whitelist: true, forbidNonWhitelisted: true }),
  );
}

describe('flattenValidationErrors', () => {
  it('gives a missing required field one detail saying it is required', async () => {
    expect(await detailsOf({})).toEqual([{ field: 'name', message: 'name is required' }]);
    expect(await detailsOf({ name: null })).toEqual([{ field: 'name', message: 'name is required' }]);
  });

  it('names the type before emptiness and length, whatever the order of the decorators', async () => {
    expect(await detailsOf({ name: 42 })).toEqual([{ field: 'name', message: 'name must be a string' }]);
    expect(await detailsOf({ name: '' })).toEqual([{ field: 'name', message: 'name should not be empty' }]);
    expect(await detailsOf({ name: 'x'.repeat(21) })).toEqual([
      { field: 'name', message: 'name must be shorter than or equal to 20 characters' },
    ]);
    expect(await detailsOf({ name: 'a', limit: 'abc' })).toEqual([
      { field: 'limit', message: 'limit must be an integer number' },
    ]);
    expect(await detailsOf({ name: 'a', limit: 101 })).toEqual([
      { field: 'limit', message: 'limit must not be greater than 100' },
    ]);
  });

  it('names nested fields by their path, one detail each', async () => {
    expect(await detailsOf({ name: 'a', verification: { secret: 'x'.repeat(11) } })).toEqual([
      { field: 'verification.scheme', message: 'verification.scheme is required' },
      { field: 'verification.secret', message: 'secret must be shorter than or equal to 10 characters' },
    ]);
    expect(await detailsOf({ name: 'a', list: [{ scheme: 'a' }, { scheme: 5 }] })).toEqual([
      { field: 'list[1].scheme', message: 'scheme must be a string' },
    ]);
  });

  it('reports an object field that is not an object once, without the details of what it holds', async () => {
    expect(await detailsOf({ name: 'a', verification: [] })).toEqual([
      { field: 'verification', message: 'verification must be a JSON object' },
    ]);
    expect(await detailsOf({ name: 'a', verification: 'x' })).toEqual([
      { field: 'verification', message: 'verification must be a JSON object' },
    ]);
  });

  it('refuses an unknown field by its own message, even when null', async () => {
    expect(await detailsOf({ name: 'a', color: null })).toEqual([
      { field: 'color', message: 'property color should not exist' },
    ]);
  });
});

describe('fieldMessage', () => {
  it('keeps the reported order among constraints it does not rank', () => {
    expect(fieldMessage('x', 'v', { matches: 'x must match', minLength: 'x is too short' })).toBe('x must match');
  });
});
