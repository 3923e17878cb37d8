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
