import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const key = Buffer.alloc(32, 7);
const box = new SecretBox(key);

/** Replaces one character of `text` at `index` with a different base64url character. */
function flipChar(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('SecretBox', () => {
  it.each(['whsec_c2VjcmV0', '', 'пароль 🔑 with unicode', 'x'.repeat(5000)])('opens what it sealed: %p', (plain) => {
    expect(box.open(box.seal(plain))).toBe(plain);
  });

  it('seals in the v1.<iv>.<tag>.<ciphertext> format with a 12-byte IV and a 16-byte tag', () => {
    const sealed = box.seal('my-custom-secret-123456');
    const [version, iv, tag, ciphertext] = sealed.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength('my-custom-secret-123456'.length);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('my-custom-secret');
  });

  it('uses a fresh IV each time, so two seals of the same text differ', () => {
    const first = box.seal('same secret');
    const second = box.seal('same secret');
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(box.open(first)).toBe(box.open(second));
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ])('refuses a sealed text whose %s was tampered with', (_part, index) => {
    const parts = box.seal('a secret worth protecting').split('.');
    for (let at = 0; at < parts[index].length; at++) {
      const tampered = [...parts];
      tampered[index] = flipChar(parts[index], at);
      expect(() => box.open(tampered.join('.'))).toThrow(new Error('cannot decrypt secret'));
    }
  });

  it('refuses a sealed text whose ciphertext was shortened or extended', () => {
    const [version, iv, tag, ciphertext] = box.seal('a secret worth protecting').split('.');
    expect(() => box.open([version, iv, tag, ciphertext.slice(0, -2)].join('.'))).toThrow('cannot decrypt secret');
    expect(() => box.open([version, iv, tag, `${ciphertext}AA`].join('.'))).toThrow('cannot decrypt secret');
  });

  it('refuses a text sealed under another key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal('secret'))).toThrow(new Error('cannot decrypt secret'));
  });

  it.each([
    '',
    'not sealed',
    'v1',
    'v1...',
    'v2' + box.seal('secret').slice(2),
    box.seal('secret') + '.extra',
    box.seal('secret').replace(/\./g, ':'),
    box.seal('secret').replace(/[A-Za-z0-9_-]$/, '=='),
  ])('refuses the malformed text %p', (sealed) => {
    expect(() => box.open(sealed)).toThrow(new Error('cannot decrypt secret'));
  });

  it.each([0, 16, 31, 33, 64])('refuses a %d-byte key', (length) => {
    expect(() => new SecretBox(Buffer.alloc(length))).toThrow('32 bytes');
  });

  it('keeps its own copy of the key', () => {
    const mutable = Buffer.alloc(32, 1);
    const own = new SecretBox(mutable);
    const sealed = own.seal('secret');
    mutable.fill(2);
    expect(own.open(sealed)).toBe('secret');
  });
  it('remembers what it opened without letting a tampered text or another key through', () => {
    const own = new SecretBox(Buffer.alloc(32, 9));
    const sealed = own.seal('remembered secret');
    expect(own.open(sealed)).toBe('remembered secret');
    expect(own.open(sealed)).toBe('remembered secret');
    // a tampered text is another text: it still has to pass the tag check, every time
    const parts = sealed.split('.');
    const tampered = [parts[0], parts[1], parts[2], flipChar(parts[3], 0)].join('.');
    expect(() => own.open(tampered)).toThrow('cannot decrypt secret');
    expect(() => own.open(tampered)).toThrow('cannot decrypt secret');
    // what one box opened is not known to a box with another key
    expect(() => new SecretBox(Buffer.alloc(32, 10)).open(sealed)).toThrow('cannot decrypt secret');
  });
});
