import { loadFixture, tamper } from './provider-fixtures';

describe('loadFixture', () => {
  it('keeps the exact body bytes, including the literal newline Telegram writes after update_id', () => {
    const { body, headers } = loadFixture('telegram', 'update-message-command');
    expect(body.length).toBe(Number(headers['content-length']));
    expect(body.toString('utf8')).toMatch(/^\{"update_id":\d+,\n"message":/);
  });

  it('lower-cases header names and keeps their values', () => {
    const { headers } = loadFixture('github', 'official-test-vector');
    expect(headers).toEqual({
      'content-type': 'text/plain',
      'content-length': '13',
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    });
  });
});

describe('tamper', () => {
  it('changes one byte and keeps the length', () => {
    const body = Buffer.from('Hello, World!');
    const changed = tamper(body);
    expect(changed).toHaveLength(body.length);
    expect(changed.equals(body)).toBe(false);
    expect(body.toString()).toBe('Hello, World!');
  });
});
