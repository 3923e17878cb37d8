import { parsePayload } from './payload';

describe('parsePayload makes what a provider sent storable', () => {
  it('replaces NUL and lone surrogates in JSON keys and strings by U+FFFD, keeping pairs and the rest', () => {
    const raw = String.raw`{"na\u0000me":"a\u0000b","s":["\ud800x","y\udc00"],"ok":"\ud83d\ude00","n":1,"t":true,"z":null}`;
    expect(parsePayload(Buffer.from(raw), 'json')).toEqual({
      'na\uFFFDme': 'a\uFFFDb',
      s: ['\uFFFDx', 'y\uFFFD'],
      ok: '\u{1F600}',
      n: 1,
      t: true,
      z: null,
    });
  });

  it('replaces NUL in form keys and values (%00 and a raw NUL byte)', () => {
    const raw = Buffer.concat([
      Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bna%00me%5D=a%00b&c='),
      Buffer.from([0]),
      Buffer.from('d'),
    ]);
    expect(parsePayload(raw, 'form')).toEqual({ leads: { status: [{ 'na\uFFFDme': 'a\uFFFDb' }] }, c: '\uFFFDd' });
  });

  it('keeps a percent-encoded surrogate of a form as the text it was (nothing to replace)', () => {
    expect(parsePayload(Buffer.from('a=%ED%A0%80x'), 'form')).toEqual({ a: '%ED%A0%80x' });
  });

  it('leaves clean bodies as they are, escapes included', () => {
    const raw = String.raw`{"name":"Заявка \u0441 сайта","tab":"a\tb","quote":"\""}`;
    expect(parsePayload(Buffer.from(raw), 'json')).toEqual(JSON.parse(raw));
  });
});
