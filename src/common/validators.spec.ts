import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, validate, ValidateNested } from 'class-validator';
import { IsPlainObject, isPlainObject } from './validators';

class Inner {
  @IsIn(['a', 'b'])
  scheme: string;
}

class Body {
  @IsOptional()
  @IsPlainObject()
  config?: Record<string, unknown>;

  @IsOptional()
  @IsPlainObject()
  @ValidateNested()
  @Type(() => Inner)
  inner?: Inner;

  @IsOptional()
  @IsPlainObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Inner)
  items?: Inner[];

  @IsOptional()
  @IsString()
  name?: string;
}

async function messagesOf(plain: object): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(Body, plain));
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('isPlainObject', () => {
  it('accepts objects and refuses arrays, null and scalars', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: [1] })).toBe(true);
    for (const value of [[], [{}], null, undefined, 'x', '', 1, 0, true, false])
      expect(isPlainObject(value)).toBe(false);
  });
});

describe('@IsPlainObject()', () => {
  it('lets objects through, nested ones included', async () => {
    expect(await messagesOf({ config: { a: 1 }, inner: { scheme: 'a' }, items: [{ scheme: 'b' }] })).toEqual({});
  });

  it.each([[[]], ['x'], [1], [true]])('refuses %j for a free-form object field, naming the field', async (value) => {
    expect(await messagesOf({ config: value })).toEqual({ config: ['config must be a JSON object'] });
  });

  it.each([[[]], [[{ scheme: 'a' }]], ['x'], [1]])(
    'refuses %j for a field with its own DTO, which ValidateNested alone lets through when it is an array',
    async (value) => {
      expect((await messagesOf({ inner: value })).inner).toContain('inner must be a JSON object');
    },
  );

  it('with each: true refuses an array item that is not an object', async () => {
    expect((await messagesOf({ items: [{ scheme: 'a' }, []] })).items).toContain(
      'each item of items must be a JSON object',
    );
    expect((await messagesOf({ items: ['x'] })).items).toContain('each item of items must be a JSON object');
  });
});
