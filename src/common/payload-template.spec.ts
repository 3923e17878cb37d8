import fc from 'fast-check';
import {
  PRESETS,
  presetPayload,
  RenderedTooLarge,
  renderedSize,
  renderTemplate,
  renderTemplateBody,
  templateProblems,
  type TemplateEvent,
} from './payload-template';

const event: TemplateEvent = {
  event_id: 'evt_01jd0000000000000000000000',
  event_type: 'deal.won',
  timestamp: '2025-01-09T12:00:05.123Z',
  data: {
    title: 'Big deal',
    amount: 1500,
    won: true,
    owner: null,
    items: [{ name: 'Seats', qty: 3 }, { name: 'Support' }],
    fields: { '123': 'by numeric key' },
    customer: { name: 'ACME', tags: ['vip'] },
  },
  metadata: { source: 'kommo' },
  webhook_id: 'wh_01jd0000000000000000000000',
};

describe('templateProblems', () => {
  it.each([
    [{ text: '{{event_type}}: {{data.title}}' }],
    [{ blocks: [{ text: '{{ data.items[0].name }} x{{data.items[0].qty}}' }], n: 1, ok: true, none: null }],
    [[{ id: '{{event_id}}', when: '{{timestamp}}', hook: '{{webhook_id}}', meta: '{{metadata}}' }]],
    [{ plain: 'no placeholders at all', odd: '}} alone is fine', matrix: '{{data.grid[0][1]}}' }],
    [{}],
  ])('accepts %j', (template) => {
    expect(templateProblems(template)).toEqual([]);
  });

  it.each(['text', 42, true, null, undefined])('refuses the non-container %p', (template) => {
    expect(templateProblems(template)).toEqual(['payload_template must be a JSON object or array.']);
  });

  it('names where a malformed placeholder is', () => {
    expect(templateProblems({ blocks: [{ text: 'hi {{data..title}}' }] })).toEqual([
      'payload_template.blocks[0].text has a malformed placeholder {{data..title}}: use dotted names with an optional [index], such as {{data.items[0].name}}.',
    ]);
  });

  it.each(['{{}}', '{{ }}', '{{data.items[x]}}', '{{data.items.0}}', '{{data title}}', '{{data.title()}}', '{{0abc}}'])(
    'refuses the malformed placeholder %p',
    (text) => {
      const problems = templateProblems({ text });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('malformed placeholder');
    },
  );

  it('refuses a placeholder outside the event', () => {
    expect(templateProblems({ text: '{{dat.title}}' })).toEqual([
      'payload_template.text has the placeholder {{dat.title}}, which must start with one of event_id, event_type, timestamp, data, metadata, webhook_id.',
    ]);
  });

  it('refuses an unclosed placeholder', () => {
    expect(templateProblems({ 'my text': 'hello {{data.title' })).toEqual([
      'payload_template["my text"] has a "{{" that is not closed by "}}".',
    ]);
  });

  it('refuses placeholders in keys, values JSON cannot carry, and very deep nesting', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(templateProblems({ '{{data.title}}': 1 })).toEqual([
      'payload_template["{{data.title}}"] has a placeholder in its key; only string values are rendered.',
    ]);
    expect(templateProblems({ n: Number.NaN })).toEqual(['payload_template.n is not a finite number.']);
    expect(templateProblems({ d: new Date(0), f: () => 1 })).toEqual([
      'payload_template.d holds a value that JSON cannot represent.',
      'payload_template.f holds a value that JSON cannot represent.',
    ]);
    expect(templateProblems({ deep })).toEqual([expect.stringContaining('nested deeper than 32 levels')]);
  });

  it('reports at most 20 problems', () => {
    const template = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, '{{nope}}']));
    expect(templateProblems(template)).toHaveLength(20);
  });
});

describe('renderTemplate', () => {
  it('gives a whole-string placeholder the JSON type of its value', () => {
    const rendered = renderTemplate(
      {
        amount: '{{data.amount}}',
        won: '{{ data.won }}',
        owner: '{{data.owner}}',
        customer: '{{data.customer}}',
        items: '{{data.items}}',
        missing: '{{data.nothing.here}}',
      },
      event,
    );
    expect(rendered).toEqual({
      amount: 1500,
      won: true,
      owner: null,
      customer: { name: 'ACME', tags: ['vip'] },
      items: [{ name: 'Seats', qty: 3 }, { name: 'Support' }],
      missing: null,
    });
  });

  it('substitutes text inside longer strings, objects as JSON and missing values as empty', () => {
    const rendered = renderTemplate(
      {
        text: '{{event_type}}: {{data.title}} for {{data.amount}} ({{data.won}})',
        who: 'Customer {{data.customer}} tags={{data.customer.tags}}',
        gaps: '[{{data.nothing}}|{{data.owner}}|{{data.items[1].qty}}|{{data.items[9].name}}]',
        spaced: ' {{data.amount}} ',
      },
      event,
    );
    expect(rendered).toEqual({
      text: 'deal.won: Big deal for 1500 (true)',
      who: 'Customer {"name":"ACME","tags":["vip"]} tags=["vip"]',
      gaps: '[|||]',
      spaced: ' 1500 ',
    });
  });

  it('follows [index] into arrays and into objects with numeric keys', () => {
    expect(
      renderTemplate(
        ['{{data.items[0].name}}', '{{data.customer.tags[0]}}', '{{data.fields[123]}}', '{{data.items[1].name}}!'],
        event,
      ),
    ).toEqual(['Seats', 'vip', 'by numeric key', 'Support!']);
  });

  it('reaches every envelope field', () => {
    expect(
      renderTemplate(
        { id: '{{event_id}}', at: '{{timestamp}}', hook: '{{webhook_id}}', src: 'from {{metadata.source}}' },
        event,
      ),
    ).toEqual({ id: event.event_id, at: event.timestamp, hook: event.webhook_id, src: 'from kommo' });
  });

  it('copies non-string values and keys untouched, and leaves the template unchanged', () => {
    const template = { n: 1, b: false, z: null, nested: { list: [1, '{{data.amount}}', { k: 'v' }] } };
    const before = JSON.stringify(template);
    expect(renderTemplate(template, event)).toEqual({
      n: 1,
      b: false,
      z: null,
      nested: { list: [1, 1500, { k: 'v' }] },
    });
    expect(JSON.stringify(template)).toBe(before);
  });

  it('reads only the event’s own data, never inherited properties', () => {
    const rendered = renderTemplate(
      { a: '{{data.constructor}}', b: 'x{{data.title.length}}x', c: '{{data.__proto__}}', d: '{{toString}}' },
      event,
    );
    expect(rendered).toEqual({ a: null, b: 'xx', c: null, d: null });
  });

  it('keeps a "__proto__" key of the template as plain data', () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{{data.title}}"}}') as unknown;
    const rendered = renderTemplate(template, event) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value).toEqual({ polluted: 'Big deal' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves malformed placeholders as they are and renders the rest', () => {
    expect(renderTemplate({ t: '{{data..x}} {{data.title}}', w: '{{ bad path }}' }, event)).toEqual({
      t: '{{data..x}} Big deal',
      w: '{{ bad path }}',
    });
  });
});

describe('renderedSize and renderTemplateBody (the size budget)', () => {
  const bytesOf = (template: unknown, e: TemplateEvent = event) =>
    Buffer.byteLength(JSON.stringify(renderTemplate(template, e)));

  it.each([
    [{ text: '{{event_type}}: {{data.title}}', n: 1, b: false, z: null }],
    [{ who: 'Customer {{data.customer}} tags={{data.customer.tags}}', items: '{{data.items}}', gone: '{{data.x}}' }],
    [['{{data.items[0].name}}', 'é "quoted" \\ back\nslash 😀 {{data.title}}', { deep: [[1.5, -2e21, true]] }]],
    [{ t: '{{data..x}} {{data.title}}', w: '{{ bad path }}', '{{weird}} key é': '"{{metadata}}"' }],
    [JSON.parse('{"__proto__": {"polluted": "{{data.title}}"}}')],
    [{}],
    [[]],
  ])('measures exactly the bytes the rendered JSON has: %j', (template) => {
    expect(renderedSize(template, event)).toBe(bytesOf(template));
  });

  it('measures exactly, whatever the template and the event (property)', () => {
    const fragment = fc.constantFrom(
      '{{data}}',
      '{{data.text}}',
      '{{ data.list[1] }}',
      '{{data.missing}}',
      '{{event_type}}',
      '{{ bad path }}',
      '{{',
      '}}',
      '"',
      '\\',
      '\n',
      '\u0001',
      'é',
      '😀',
      'plain ',
    );
    const text = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(''));
    const { template } = fc.letrec((tie) => ({
      template: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('template'), { maxLength: 4 }),
        fc.dictionary(text, tie('template'), { maxKeys: 4 }),
      ),
    }));
    const data = fc.record({ text: fc.string({ unit: 'grapheme' }), list: fc.array(fc.jsonValue(), { maxLength: 3 }) });
    fc.assert(
      fc.property(template, data, (t, d) => {
        const e = { ...event, data: d };
        expect(renderedSize(t, e)).toBe(bytesOf(t, e));
      }),
      { numRuns: 300 },
    );
  });

  it('renders the same JSON as renderTemplate when the body fits', () => {
    const template = { text: '{{event_type}}: {{data.title}}', customer: '{{data.customer}}' };
    const body = renderTemplateBody(template, event, 1024);
    expect(body).toBe(JSON.stringify(renderTemplate(template, event)));
    expect(renderTemplateBody(template, event, Buffer.byteLength(body))).toBe(body);
    expect(() => renderTemplateBody(template, event, Buffer.byteLength(body) - 1)).toThrow(RenderedTooLarge);
  });

  it('refuses 100 "{{data}}" over a 900 KiB event without building anything larger than the event', () => {
    const big = { ...event, data: { blob: 'x'.repeat(900 * 1024) } };
    const template = { copies: Array.from({ length: 100 }, () => '{{data}}'), text: 'all of it: {{data}}' };
    const stringify = jest.spyOn(JSON, 'stringify');
    let thrown: unknown;
    try {
      renderTemplateBody(template, big, 5 * 1024 * 1024);
    } catch (error) {
      thrown = error;
    }
    const longest = Math.max(...stringify.mock.results.map((r) => (typeof r.value === 'string' ? r.value.length : 0)));
    stringify.mockRestore();
    expect(thrown).toBeInstanceOf(RenderedTooLarge);
    expect((thrown as RenderedTooLarge).bytes).toBeGreaterThan(100 * 900 * 1024);
    expect((thrown as RenderedTooLarge).bytes).toBe(bytesOf(template, big));
    // the value was serialised once to be measured (as JSON and as text), never the 92 MB body
    expect(longest).toBeLessThan(2 * 900 * 1024);
  });
});

describe('presetPayload', () => {
  const line = 'deal.won {"title":"Big deal","amount":1500,"won":true,"owner":null,';

  it('lists the three presets', () => {
    expect([...PRESETS].sort()).toEqual(['discord', 'slack', 'telegram']);
  });

  it('posts {text} to Slack', () => {
    const body = presetPayload('slack', event);
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toEqual(expect.stringContaining(line));
  });

  it('posts {content} to Discord', () => {
    const body = presetPayload('discord', event);
    expect(Object.keys(body)).toEqual(['content']);
    expect(body.content).toBe(`deal.won ${JSON.stringify(event.data)}`);
  });

  it('posts {chat_id, text} to Telegram with the subscription’s chat id', () => {
    expect(presetPayload('telegram', event, { chatId: -1001234567890 })).toEqual({
      chat_id: -1001234567890,
      text: `deal.won ${JSON.stringify(event.data)}`,
    });
    expect(presetPayload('telegram', event, { chatId: '@hookhub_alerts' }).chat_id).toBe('@hookhub_alerts');
  });

  it('leaves chat_id out when none is known (the bot URL may carry ?chat_id=)', () => {
    expect(presetPayload('telegram', event)).toEqual({ text: `deal.won ${JSON.stringify(event.data)}` });
  });

  it('says just the event type when there is no data', () => {
    expect(presetPayload('slack', { ...event, data: null })).toEqual({ text: 'deal.won' });
    expect(presetPayload('discord', { ...event, data: undefined })).toEqual({ content: 'deal.won' });
  });

  it('truncates long data to 3500 characters ending in …', () => {
    const long = { ...event, data: { note: 'x'.repeat(10_000) } };
    for (const text of [presetPayload('telegram', long).text, presetPayload('slack', long).text]) {
      expect(text).toHaveLength(3500);
      expect(text).toMatch(/^deal\.won \{"note":"x+…$/);
    }
  });

  it('truncates Discord content to its 2000-character limit', () => {
    const content = presetPayload('discord', { ...event, data: { note: 'x'.repeat(10_000) } }).content as string;
    expect(content).toHaveLength(2000);
    expect(content.endsWith('x…')).toBe(true);
  });

  it('never cuts an emoji in half', () => {
    const prefix = 'deal.won {"note":"'.length;
    const note = 'x'.repeat(3498 - prefix) + '😀'.repeat(10);
    const text = presetPayload('telegram', { ...event, data: { note } }).text as string;
    expect(text.endsWith('x…')).toBe(true);
    expect(text).toHaveLength(3499);
  });

  it('escapes Slack control characters so data cannot mention @channel or forge links', () => {
    const body = presetPayload('slack', { ...event, data: { note: '<!channel> <https://evil|click> & co' } });
    expect(body.text).toBe('deal.won {"note":"&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co"}');
  });
});
