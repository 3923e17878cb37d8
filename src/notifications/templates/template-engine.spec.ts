import Handlebars from 'handlebars';
import {
  assertTemplateCompiles,
  RENDER_LIMITS,
  renderTemplate,
  RenderOptions,
  TemplateError,
  TemplateLimitError,
} from './template-engine';

const MD: RenderOptions = { channel: 'telegram', timezone: 'Europe/Moscow', locale: 'ru' };
const HTML: RenderOptions = { ...MD, parseMode: 'HTML' };
const SLACK: RenderOptions = { channel: 'slack', timezone: 'Europe/Moscow', locale: 'en' };
const WHATSAPP: RenderOptions = { channel: 'whatsapp', timezone: 'Europe/Moscow', locale: 'ru' };

function thrown(action: () => unknown): TemplateError {
  try {
    action();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('renderTemplate escaping', () => {
  const source = '*{{name}}* — {{{name}}} _ok_!';
  const context = { name: 'A_b*[c](d)~`>#+-=|{}.!\\ & <i> "q"' };

  it('escapes every MarkdownV2-reserved character of values, never the template’s own text', () => {
    expect(renderTemplate(source, context, MD)).toBe(
      '*A\\_b\\*\\[c\\]\\(d\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ & <i\\> "q"* — A_b*[c](d)~`>#+-=|{}.!\\ & <i> "q" _ok_!',
    );
  });

  it('escapes & < > " for Telegram HTML', () => {
    expect(renderTemplate('<b>{{name}}</b>', context, HTML)).toBe(
      '<b>A_b*[c](d)~`&gt;#+-=|{}.!\\ &amp; &lt;i&gt; &quot;q&quot;</b>',
    );
  });

  it('escapes & < > for Slack mrkdwn and leaves quotes alone', () => {
    expect(renderTemplate('*{{name}}*', context, SLACK)).toBe('*A_b*[c](d)~`&gt;#+-=|{}.!\\ &amp; &lt;i&gt; "q"*');
  });

  it('escapes nothing for WhatsApp', () => {
    expect(renderTemplate('*{{name}}*', context, WHATSAPP)).toBe(`*${context.name}*`);
  });

  it('escapes helper output too (dots and dashes in prices and phones)', () => {
    const text = renderTemplate(
      '{{money price}} {{phone tel}}',
      { price: '1500.5', tel: '79991234567' },
      { ...MD, locale: 'en' },
    );
    expect(text).toBe('1500\\.50 \\+7 999 123\\-45\\-67');
  });

  it('escapes values inside blocks, each loops and else branches', () => {
    const template =
      '{{#each items}}{{this}};{{/each}}{{#if none}}x{{else if other}}{{other}}{{else}}{{fallback}}{{/if}}';
    expect(renderTemplate(template, { items: ['a.b', 'c-d'], fallback: 'e!' }, MD)).toBe('a\\.b;c\\-d;e\\!');
    expect(renderTemplate(template, { other: '(o)' }, MD)).toBe('\\(o\\)');
  });

  it('renders a missing path as empty text and keeps Handlebars’ {{"field"}} lookup', () => {
    expect(renderTemplate('[{{no.such.path}}][{{"a b"}}]', { 'a b': 'x.y' }, MD)).toBe('[][x\\.y]');
  });

  it('prints objects as JSON and arrays as a list', () => {
    expect(renderTemplate('{{o}} | {{a}}', { o: { k: 1 }, a: ['x', 2] }, WHATSAPP)).toBe('{"k":1} | x, 2');
  });

  it('leaves triple-stash values raw on every channel', () => {
    for (const options of [MD, HTML, SLACK, WHATSAPP]) {
      expect(renderTemplate('{{{v}}}', { v: '<a>&.-' }, options)).toBe('<a>&.-');
    }
  });
});

describe('template helpers', () => {
  const at = '2024-08-15T14:00:00+03:00';

  it('date: "15 августа" in ru, "August 15" in en, in the render’s time zone', () => {
    expect(renderTemplate('{{date at}}', { at }, WHATSAPP)).toBe('15 августа');
    expect(renderTemplate('{{date at}}', { at }, { ...WHATSAPP, locale: 'en' })).toBe('August 15');
    expect(
      renderTemplate('{{date at}}', { at: '2024-08-15T23:30:00+03:00' }, { ...WHATSAPP, timezone: 'Asia/Tokyo' }),
    ).toBe('16 августа');
  });

  it('time: "14:00" from ISO with offset, ISO without offset and unix seconds', () => {
    const unix = Date.UTC(2024, 7, 15, 11) / 1000;
    expect(
      renderTemplate('{{time a}} {{time b}} {{time c}}', { a: at, b: '2024-08-15 14:00:00', c: unix }, WHATSAPP),
    ).toBe('14:00 14:00 14:00');
  });

  it('datetime: "15 августа в 14:00" / "August 15 at 14:00"', () => {
    expect(renderTemplate('{{datetime at}}', { at }, WHATSAPP)).toBe('15 августа в 14:00');
    expect(renderTemplate('{{datetime at}}', { at }, { ...WHATSAPP, locale: 'en' })).toBe('August 15 at 14:00');
  });

  it('weekday: "четверг" / "Thursday"', () => {
    expect(renderTemplate('{{weekday at}}', { at }, WHATSAPP)).toBe('четверг');
    expect(renderTemplate('{{weekday at}}', { at }, { ...WHATSAPP, locale: 'en' })).toBe('Thursday');
  });

  it('money: whole amounts without decimals, the locale’s separator, optional currency word', () => {
    const context = { whole: '1500.00', half: '1500.5', float: 0.1 + 0.2 };
    const template = '{{money whole}} {{money half}} {{money float}} {{money whole currency="RUB"}}';
    expect(renderTemplate(template, context, WHATSAPP)).toBe('1500 1500,50 0,30 1500 руб');
    expect(renderTemplate(template, context, { ...WHATSAPP, locale: 'en' })).toBe('1500 1500.50 0.30 1500 RUB');
  });

  it('phone: Russian numbers grouped, others as +digits', () => {
    expect(renderTemplate('{{phone a}} / {{phone b}}', { a: '89991234567', b: '380441234567' }, WHATSAPP)).toBe(
      '+7 999 123-45-67 / +380441234567',
    );
  });

  it('eq: compares values (a number equals its text) for #if', () => {
    const template = '{{#if (eq status "won")}}W{{else}}L{{/if}}{{#if (eq id 42)}}!{{/if}}';
    expect(renderTemplate(template, { status: 'won', id: '42' }, WHATSAPP)).toBe('W!');
    expect(renderTemplate(template, { status: 'lost', id: 7 }, WHATSAPP)).toBe('L');
  });

  it('join: items or their key field, ", " or a given separator, blanks skipped', () => {
    const context = { tags: ['a', '', null, 'b'], services: [{ title: 'Стрижка' }, { title: 'Борода' }, {}] };
    const template = '{{join tags}} | {{join tags " + "}} | {{join services key="title"}} | {{join missing}}';
    expect(renderTemplate(template, context, WHATSAPP)).toBe('a, b | a + b | Стрижка, Борода | ');
  });

  it('default: the value, or the fallback for null, missing, empty text or an empty list', () => {
    const template = '{{default a "—"}} {{default b "—"}} {{default c "—"}} {{default d "—"}} {{default e "—"}}';
    expect(renderTemplate(template, { a: 'x', c: '', d: [], e: 0 }, WHATSAPP)).toBe('x — — — 0');
  });

  it('text: literal text escaped like a value, so one source suits every channel', () => {
    expect(renderTemplate('Готово{{text "!"}} {{text "#" id}}', { id: 5 }, MD)).toBe('Готово\\! \\#5');
    expect(renderTemplate('Готово{{text "!"}} {{text "#" id}}', { id: 5 }, SLACK)).toBe('Готово! #5');
  });

  it('helpers render empty text for missing values', () => {
    const template = '[{{date x}}|{{time x}}|{{datetime x}}|{{weekday x}}|{{money x}}|{{phone x}}]';
    expect(renderTemplate(template, {}, MD)).toBe('[|||||]');
  });
});

describe('template errors', () => {
  it('reports a syntax error with its line', () => {
    const error = thrown(() => assertTemplateCompiles('ok\n{{name'));
    expect(error.message).toMatch(/^syntax error: Expecting .*, got 'INVALID' \(line 2, after "ok\{\{"\)$/);
    expect(error.line).toBe(2);
  });

  it('reports a mismatched block with line and column', () => {
    const error = thrown(() => assertTemplateCompiles('a\n{{#if x}}\n{{/each}}'));
    expect(error.message).toBe("if doesn't match each (line 2, column 4)");
    expect([error.line, error.column]).toEqual([2, 4]);
  });

  it.each([
    ['{{shout name}}', 'unknown helper "shout" (line 1, column 1)'],
    ['x {{date (upper when)}}', 'unknown helper "upper" (line 1, column 10)'],
    ['{{> header}}', 'partials ({{> name}}) are not supported (line 1, column 1)'],
    ['{{log secret}}', 'unknown helper "log" (line 1, column 1)'],
    ['{{{hookhub_escape}}}', '"hookhub_escape" is reserved (line 1, column 1)'],
    ['{{#if a}}{{else if (nope b)}}{{/if}}', 'unknown helper "nope" (line 1, column 20)'],
    ['{{if ok}}', '"if" is a block helper: write {{#if …}}…{{/if}} (line 1, column 1)'],
    ['{{#money x}}{{/money}}', '"money" is not a block helper: write {{money …}} (line 1, column 1)'],
    ['{{eq a}}', '"eq" takes 2 arguments, got 1 (line 1, column 1)'],
    [
      '{{date}}',
      '"date" takes 1 argument, got 0 (to print a field named date, write {{this.date}}) (line 1, column 1)',
    ],
  ])('refuses %p', (source, message) => {
    expect(thrown(() => assertTemplateCompiles(source)).message).toBe(message);
  });

  it('accepts every documented helper and Handlebars’ own blocks', () => {
    const source =
      '{{#with booking}}{{date datetime}} {{time datetime}} {{datetime datetime}} {{weekday datetime}}{{/with}}' +
      '{{money p currency="RUB"}}{{phone t}}{{#if (eq a b)}}{{join l ", "}}{{/if}}{{default x "y"}}{{text "!"}}' +
      '{{#each l}}{{@index}}{{/each}}{{#unless z}}{{lookup l 0}}{{/unless}}{{this.date}}';
    expect(() => assertTemplateCompiles(source)).not.toThrow();
  });

  it('throws at render time when a helper gets a bad value, naming it and its position', () => {
    const error = thrown(() =>
      renderTemplate('📅\n  {{date booking.datetime}}', { booking: { datetime: 'завтра' } }, MD),
    );
    expect(error.message).toBe(
      'date: cannot read "завтра" as a date (expected an ISO 8601 string or unix seconds) (line 2, column 3)',
    );
    expect([error.line, error.column]).toEqual([2, 3]);
    expect(thrown(() => renderTemplate('{{money p}}', { p: 'a lot' }, MD)).message).toBe(
      'money: cannot read "a lot" as an amount (expected a number or a decimal string) (line 1, column 1)',
    );
  });

  it('refuses an unknown time zone, locale or parse mode', () => {
    expect(thrown(() => renderTemplate('x', {}, { ...MD, timezone: 'Mars/Olympus' })).message).toBe(
      'unknown time zone "Mars/Olympus" (expected an IANA zone such as Europe/Moscow)',
    );
    expect(thrown(() => renderTemplate('x', {}, { ...MD, locale: 'not a locale' })).message).toBe(
      'invalid locale "not a locale" (expected a BCP 47 tag such as ru or en)',
    );
    const legacy = { ...MD, parseMode: 'Markdown' } as unknown as RenderOptions;
    expect(thrown(() => renderTemplate('x', {}, legacy)).message).toBe(
      'unsupported Telegram parse mode "Markdown" (use MarkdownV2 or HTML)',
    );
  });

  it('throws the same compile error from renderTemplate', () => {
    expect(() => renderTemplate('{{nope 1}}', {}, MD)).toThrow(
      new TemplateError('unknown helper "nope" (line 1, column 1)'),
    );
  });
});

describe('isolation and caching', () => {
  afterEach(() => Handlebars.unregisterHelper('shout'));

  it('ignores helpers registered on the global Handlebars and leaves its HTML escaping alone', () => {
    Handlebars.registerHelper('shout', (s: string) => s.toUpperCase());
    expect(() => assertTemplateCompiles('{{shout x}}')).toThrow('unknown helper "shout"');
    renderTemplate('{{x}}', { x: 'a.b' }, MD);
    expect(Handlebars.compile('{{x}}')({ x: '<a.b>' })).toBe('&lt;a.b&gt;');
  });

  it('renders one cached source for different channels and settings', () => {
    const source = '{{money p}} {{time t}}';
    const context = { p: '1.5', t: '2024-08-15T11:00:00Z' };
    expect(renderTemplate(source, context, { ...MD, locale: 'en' })).toBe('1\\.50 14:00');
    expect(renderTemplate(source, context, { ...WHATSAPP, timezone: 'UTC' })).toBe('1,50 11:00');
  });
});

describe('render limits', () => {
  const loops = '{{#each a}}{{#each ../a}}{{#each ../../a}}{{this}}{{/each}}{{/each}}{{/each}}';
  const items = (count: number, item: unknown = 1): unknown[] => Array.from({ length: count }, () => item);

  function limitError(action: () => unknown): TemplateLimitError {
    const error = thrown(action);
    if (!(error instanceof TemplateLimitError)) throw new Error(`expected a TemplateLimitError, got ${error.message}`);
    return error;
  }

  it('stops triple-nested #each over a large array at the iteration budget, with the documented error', () => {
    // 1000³ = a billion turns unbounded; the render gives up after RENDER_LIMITS.maxIterations of them
    const error = limitError(() => renderTemplate(loops, { a: items(1000) }, WHATSAPP));
    expect(error.limit).toBe('work');
    expect(error.message).toBe(
      `the template does too much work: more than ${RENDER_LIMITS.maxIterations} #each iterations in one message`,
    );
  });

  it('counts every turn of every loop, nested ones included', () => {
    const limits = { maxIterations: 6 };
    // 2 outer turns + 2×2 inner turns = 6
    expect(
      renderTemplate('{{#each a}}{{#each ../a}}{{this}}{{/each}}{{/each}}', { a: [1, 2] }, { ...WHATSAPP, limits }),
    ).toBe('1212');
    expect(
      limitError(() => renderTemplate('{{#each a}}{{this}}{{/each}}', { a: items(7) }, { ...WHATSAPP, limits })).limit,
    ).toBe('work');
  });

  it('refuses a message longer than the output limit, printed values and literal text alike', () => {
    const message = `the rendered message is longer than ${RENDER_LIMITS.maxOutputChars} characters`;
    const long = 'x'.repeat(40_000);
    for (const [source, context] of [
      ['{{v}} {{v}}', { v: long }],
      ['{{{v}}}{{{v}}}', { v: long }],
      ['{{#each a}}{{this}}{{/each}}', { a: items(100, 'y'.repeat(1000)) }],
      [`{{#each a}}${'z'.repeat(100)}{{/each}}`, { a: items(1000) }],
      [`{{#each a}}{{#each ../a}}${'z'.repeat(100)}{{/each}}{{/each}}`, { a: items(90) }],
    ] as const) {
      const error = limitError(() => renderTemplate(source, context, WHATSAPP));
      expect([error.limit, error.message]).toEqual(['output', message]);
    }
  });

  it('allows a message right up to the output limit', () => {
    const limits = { maxOutputChars: 10 };
    expect(renderTemplate('abc{{v}}', { v: 'defghij' }, { ...WHATSAPP, limits })).toBe('abcdefghij');
    expect(limitError(() => renderTemplate('abc{{v}}', { v: 'defghijk' }, { ...WHATSAPP, limits })).limit).toBe(
      'output',
    );
    expect(limitError(() => renderTemplate('abcdefghijk', {}, { ...WHATSAPP, limits })).limit).toBe('output');
  });

  it('stops a render that runs out of time at the next helper call', () => {
    const error = limitError(() => renderTemplate('{{text "a"}}', {}, { ...WHATSAPP, limits: { maxRenderMs: -1 } }));
    expect([error.limit, error.message]).toEqual([
      'work',
      'the template does too much work: rendering took more than -1 ms',
    ]);
  });

  it('gives every render its own budget', () => {
    const limits = { maxIterations: 3 };
    for (let i = 0; i < 3; i += 1) {
      expect(renderTemplate('{{#each a}}{{this}}{{/each}}', { a: [1, 2, 3] }, { ...WHATSAPP, limits })).toBe('123');
    }
  });

  it('keeps #each features: @index, @key, @first, @last, block params, else, escaping', () => {
    const source =
      '{{#each list as |item i|}}{{#if @first}}[{{/if}}{{i}}:{{item}}{{#unless @last}},{{/unless}}{{#if @last}}]{{/if}}{{/each}}' +
      '{{#each obj}} {{@key}}={{this}}{{/each}}{{#each none}}x{{else}} empty{{/each}}';
    expect(renderTemplate(source, { list: ['a.b', 'c'], obj: { k: 'v!' } }, MD)).toBe('[0:a\\.b,1:c] k=v\\! empty');
  });

  it('refuses at compile time #each nested more than 3 deep and blocks nested more than 16 deep', () => {
    const four = '{{#each a}}{{#each b}}{{#each c}}{{#each d}}x{{/each}}{{/each}}{{/each}}{{/each}}';
    expect(thrown(() => assertTemplateCompiles(four)).message).toBe(
      '#each loops are nested more than 3 deep (line 1, column 34)',
    );
    expect(() => assertTemplateCompiles(loops)).not.toThrow();
    const deep = `${'{{#if a}}'.repeat(17)}x${'{{/if}}'.repeat(17)}`;
    expect(thrown(() => assertTemplateCompiles(deep)).message).toBe(
      'blocks are nested more than 16 deep (line 1, column 145)',
    );
    const chain = `{{#if a}}${Array.from({ length: 30 }, (_, i) => `{{else if b${i}}}${i}`).join('')}{{/if}}`;
    expect(() => assertTemplateCompiles(chain)).not.toThrow();
  });

  it('reserves the raw printer’s name too', () => {
    expect(thrown(() => assertTemplateCompiles('{{{hookhub_raw x}}}')).message).toBe(
      '"hookhub_raw" is reserved (line 1, column 1)',
    );
  });
});
