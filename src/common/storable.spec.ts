import { hasUnstorable, storableJson, storableText } from './storable';

describe('storableText', () => {
  it('replaces NUL with U+FFFD', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
  });

  it('replaces a lone high or low surrogate and keeps a proper pair', () => {
    expect(storableText('x\uD83Dy')).toBe('x\uFFFDy');
    expect(storableText('x\uDE00y')).toBe('x\uFFFDy');
    expect(storableText('\uD83D')).toBe('\uFFFD');
    expect(storableText('ok \uD83D\uDE00')).toBe('ok \uD83D\uDE00');
  });

  it('returns clean text, null and undefined unchanged', () => {
    const clean = 'Привет, мир';
    expect(storableText(clean)).toBe(clean);
    expect(storableText(null)).toBeNull();
    expect(storableText(undefined)).toBeUndefined();
  });

  it('tells whether text holds something to replace, repeatably', () => {
    expect(hasUnstorable('a\u0000')).toBe(true);
    expect(hasUnstorable('a\u0000')).toBe(true);
    expect(hasUnstorable('plain')).toBe(false);
  });
});

describe('storableJson', () => {
  it('cleans nested strings and keys, and the result serialises without NUL escapes', () => {
    const dirty = { 'le\u0000ads': { status: [{ name: 'Won\u0000', tags: ['a\uD800'] }] }, n: 1, ok: true, nil: null };
    const clean = storableJson(dirty);
    expect(clean).toEqual({
      'le\uFFFDads': { status: [{ name: 'Won\uFFFD', tags: ['a\uFFFD'] }] },
      n: 1,
      ok: true,
      nil: null,
    });
    expect(JSON.stringify(clean)).not.toMatch(/\\u0000|\\ud800/i);
  });

  it('returns the same object when nothing needs replacing', () => {
    const payload = { a: [1, 'two', { three: 3 }] };
    expect(storableJson(payload)).toBe(payload);
  });

  it('does not change the value it was given', () => {
    const dirty = { a: ['x\u0000'] };
    storableJson(dirty);
    expect(dirty.a[0]).toBe('x\u0000');
  });
});
