export type Preset = 'slack' | 'telegram' | 'discord';
export const PRESETS: readonly Preset[] = ['slack', 'telegram', 'discord'];

export interface TemplateEvent {
  event_id: string;
  event_type: string;
  timestamp: string;
  data: unknown;
  metadata: unknown;
  webhook_id: string;
}

/** The event fields a placeholder may start with. */
const ROOTS: readonly string[] = ['event_id', 'event_type', 'timestamp', 'data', 'metadata', 'webhook_id'];
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{([^{}]*)\}\}$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])*(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])*)*$/;
const PATH_STEP = /[A-Za-z_][A-Za-z0-9_]*|\[(\d+)\]/g;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_DEPTH = 32;
const MAX_PROBLEMS = 20;
const PRESET_TEXT_LIMIT = 3500;
/** Discord refuses `content` longer than 2000 characters. */
const DISCORD_CONTENT_LIMIT = 2000;

/**
 * Checks a payload_template: must be a JSON object/array whose strings may hold `{{path}}` placeholders (path = dotted
 * identifiers with optional [index], e.g. data.items[0].name); returns problems as human sentences, [] when valid.
 */
export function templateProblems(template: unknown): string[] {
  if (typeof template !== 'object' || template === null) return ['payload_template must be a JSON object or array.'];
  const problems: string[] = [];
  collectProblems(template, 'payload_template', 0, problems);
  return problems.slice(0, MAX_PROBLEMS);
}

/** Appends the problems of `value` (found at `where`) and of everything inside it. */
function collectProblems(value: unknown, where: string, depth: number, problems: string[]): void {
  if (depth > MAX_DEPTH) {
    problems.push(`${where} is nested deeper than ${MAX_DEPTH} levels.`);
  } else if (typeof value === 'string') {
    problems.push(...stringProblems(value, where));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectProblems(item, `${where}[${i}]`, depth + 1, problems));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = childPath(where, key);
      if (key.includes('{{')) problems.push(`${at} has a placeholder in its key; only string values are rendered.`);
      collectProblems(item, at, depth + 1, problems);
    }
  } else if (typeof value === 'number' && !Number.isFinite(value)) {
    problems.push(`${where} is not a finite number.`);
  } else if (value !== null && typeof value !== 'number' && typeof value !== 'boolean') {
    problems.push(`${where} holds a value that JSON cannot represent.`);
  }
}

/** Problems with the placeholders of one string value. */
function stringProblems(text: string, where: string): string[] {
  const problems: string[] = [];
  for (const [placeholder, raw] of text.matchAll(PLACEHOLDER)) {
    const path = raw.trim();
    if (!PATH.test(path)) {
      problems.push(
        `${where} has a malformed placeholder ${placeholder}: use dotted names with an optional [index], such as {{data.items[0].name}}.`,
      );
    } else if (!ROOTS.includes(pathSteps(path)[0])) {
      problems.push(`${where} has the placeholder ${placeholder}, which must start with one of ${ROOTS.join(', ')}.`);
    }
  }
  if (text.replace(PLACEHOLDER, '').includes('{{')) problems.push(`${where} has a "{{" that is not closed by "}}".`);
  return problems;
}

/**
 * Renders: a string that is exactly one placeholder takes the value's JSON type (number, object…); placeholders inside
 * longer strings are replaced by the value's text (objects as JSON; missing → empty string). Non-string values are copied.
 */
export function renderTemplate(template: unknown, event: TemplateEvent): unknown {
  if (typeof template === 'string') return renderString(template, event);
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, event));
  if (isPlainObject(template)) {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, renderTemplate(value, event)]));
  }
  return template;
}

/** Thrown by {@link renderTemplateBody} when the body would be larger than its budget. */
export class RenderedTooLarge extends Error {
  constructor(
    /** UTF-8 bytes the rendered body would have. */
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the rendered body would be ${bytes} bytes, over ${maxBytes}`);
    this.name = 'RenderedTooLarge';
  }
}

/**
 * The JSON body a template renders to, at most `maxBytes` bytes of UTF-8, else RenderedTooLarge. The
 * size is measured before anything is built ({@link renderedSize}), so a template that repeats a large
 * value (a hundred `"{{data}}"` over a 900 KiB event) never allocates its 90 MB.
 */
export function renderTemplateBody(template: unknown, event: TemplateEvent, maxBytes: number): string {
  const bytes = renderedSize(template, event);
  if (bytes > maxBytes) throw new RenderedTooLarge(bytes, maxBytes);
  return JSON.stringify(renderTemplate(template, event));
}

/**
 * UTF-8 bytes of `JSON.stringify(renderTemplate(template, event))`, computed without building it: each
 * placeholder path is looked up and measured once (its JSON, or its escaped text inside a longer
 * string), then counted wherever it occurs; the template's own strings, keys and punctuation are counted
 * as they are. Exact but for a surrogate pair split between a placeholder and the text beside it.
 */
export function renderedSize(template: unknown, event: TemplateEvent): number {
  return new TemplateSizer(event).size(template);
}

/** UTF-8 bytes of a value's JSON text. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

/** UTF-8 bytes of a string's JSON text between its quotes. */
function escapedBytes(text: string): number {
  return jsonBytes(text) - 2;
}

class TemplateSizer {
  /** Bytes of a whole-placeholder value's JSON, by path. */
  private readonly whole = new Map<string, number>();
  /** Bytes of a value's text inside a longer string (escaped), by path. */
  private readonly inText = new Map<string, number>();

  constructor(private readonly event: TemplateEvent) {}

  size(template: unknown): number {
    if (typeof template === 'string') return this.stringSize(template);
    if (Array.isArray(template)) {
      let bytes = 2 + Math.max(0, template.length - 1);
      for (const item of template) bytes += this.size(item);
      return bytes;
    }
    if (isPlainObject(template)) {
      const entries = Object.entries(template);
      let bytes = 2 + Math.max(0, entries.length - 1);
      for (const [key, value] of entries) bytes += jsonBytes(key) + 1 + this.size(value);
      return bytes;
    }
    return jsonBytes(template);
  }

  /** As renderString renders it. */
  private stringSize(text: string): number {
    const whole = WHOLE_PLACEHOLDER.exec(text);
    if (whole && PATH.test(whole[1].trim())) return this.wholeSize(whole[1].trim());
    let bytes = 2;
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      const path = match[1].trim();
      bytes += escapedBytes(text.slice(last, match.index));
      bytes += PATH.test(path) ? this.inTextSize(path) : escapedBytes(match[0]);
      last = match.index + match[0].length;
    }
    return bytes + escapedBytes(text.slice(last));
  }

  private wholeSize(path: string): number {
    let bytes = this.whole.get(path);
    if (bytes === undefined) {
      bytes = jsonBytes(lookup(this.event, path) ?? null);
      this.whole.set(path, bytes);
    }
    return bytes;
  }

  private inTextSize(path: string): number {
    let bytes = this.inText.get(path);
    if (bytes === undefined) {
      bytes = escapedBytes(textOf(lookup(this.event, path)));
      this.inText.set(path, bytes);
    }
    return bytes;
  }
}

/** One string value: a whole placeholder keeps the value's type (missing → null), otherwise text is substituted. */
function renderString(text: string, event: TemplateEvent): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole && PATH.test(whole[1].trim())) return lookup(event, whole[1].trim()) ?? null;
  return text.replace(PLACEHOLDER, (placeholder, raw: string) =>
    PATH.test(raw.trim()) ? textOf(lookup(event, raw.trim())) : placeholder,
  );
}

/** The value at a valid `path` in the event (own properties only); undefined when any step is missing. */
function lookup(event: TemplateEvent, path: string): unknown {
  const steps = pathSteps(path);
  if (!ROOTS.includes(steps[0])) return undefined;
  let current: unknown = event;
  for (const step of steps) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** `data.items[0].name` → `['data', 'items', '0', 'name']`. */
function pathSteps(path: string): string[] {
  return Array.from(path.matchAll(PATH_STEP), (match) => match[1] ?? match[0]);
}

/** How a value reads inside a longer string: strings as they are, null and missing as '', the rest as JSON. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/**
 * The body a preset posts: slack `{text}`, discord `{content}`, telegram `{chat_id, text}` where chat_id comes from
 * `options.chatId` (the subscription's metadata.chat_id) — text is a short human line: `<event_type>` + a compact JSON
 * of data, truncated to 3500 chars (2000 for Discord, its limit; Slack's `& < >` are escaped after truncation).
 * Without a chatId the telegram body has no chat_id, for bot URLs that carry `?chat_id=` themselves.
 */
export function presetPayload(
  preset: Preset,
  event: TemplateEvent,
  options: { chatId?: string | number } = {},
): Record<string, unknown> {
  const line = summaryLine(event);
  switch (preset) {
    case 'slack':
      return { text: escapeSlack(truncate(line, PRESET_TEXT_LIMIT)) };
    case 'discord':
      return { content: truncate(line, DISCORD_CONTENT_LIMIT) };
    case 'telegram': {
      const text = truncate(line, PRESET_TEXT_LIMIT);
      return options.chatId === undefined ? { text } : { chat_id: options.chatId, text };
    }
  }
}

/** `deal.won {"id":42}`; just the event type when there is no data. */
function summaryLine(event: TemplateEvent): string {
  const data = event.data === undefined || event.data === null ? undefined : JSON.stringify(event.data);
  return data === undefined ? event.event_type : `${event.event_type} ${data}`;
}

/** At most `max` UTF-16 units, ending in `…` when cut, never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  const last = kept.charCodeAt(kept.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
  return `${kept}…`;
}

/** Slack reads `<…>` as links and mentions (`<!channel>`), so data must not be able to produce them. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `parent.key`, or `parent["odd key"]` when the key is not a plain identifier. */
function childPath(parent: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
