import Handlebars from 'handlebars';
import { budgetedEach, RENDER_LIMITS, RenderBudget, RenderLimits, TemplateError } from './render-budget';
import { checkProgram, ESCAPE_HELPER, RAW_HELPER, routeValuesThroughHelpers, TemplateShapeError } from './template-ast';
import { createHelpers, display, HELPER_SHAPES, HelperInputError, toHandlebarsHelpers } from './template-helpers';

export { RENDER_LIMITS, TemplateError, TemplateLimitError } from './render-budget';
export type { RenderLimit, RenderLimits } from './render-budget';

export type Channel = 'telegram' | 'slack' | 'whatsapp';
export type TelegramParseMode = 'MarkdownV2' | 'HTML';

export interface RenderOptions {
  channel: Channel;
  /** IANA zone dates are shown in, e.g. 'Europe/Moscow'. */
  timezone: string;
  /** 'ru' | 'en' | any BCP 47 tag: month names, weekdays, decimal separator, currency words. */
  locale: string;
  /** Telegram only, default MarkdownV2. */
  parseMode?: TelegramParseMode;
  /** Tighter (or looser) limits than {@link RENDER_LIMITS}, for tests. */
  limits?: Partial<RenderLimits>;
}

type CompiledTemplate = Handlebars.TemplateDelegate<Record<string, unknown>>;

/** Our own Handlebars: no helper, partial or setting registered elsewhere in the process can leak in or out. */
const handlebars = Handlebars.create();
const COMPILE_OPTIONS = {
  knownHelpers: Object.fromEntries(
    [...Object.keys(HELPER_SHAPES), ESCAPE_HELPER, RAW_HELPER].map((name) => [name, true]),
  ),
};
const MAX_CACHED_TEMPLATES = 500;
/** Compiled templates by source, least recently used first. */
const cache = new Map<string, CompiledTemplate>();

/** Turns Handlebars' parse/compile errors into "…(line 3, column 5)" sentences. */
function compileError(error: unknown): TemplateError {
  if (error instanceof TemplateShapeError) return new TemplateError(error.message, error.line, error.column);
  const message = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n([\s\S]*)$/.exec(message);
  if (parse) {
    const [, line, excerpt, dashes, expected] = parse;
    const before = excerpt.slice(0, dashes.length);
    return new TemplateError(`syntax error: ${expected} (line ${line}, after "${before}")`, Number(line));
  }
  const { lineNumber, column } = error as { lineNumber?: number; column?: number };
  if (typeof lineNumber === 'number' && typeof column === 'number') {
    const text = message.replace(/ - \d+:\d+$/, '');
    return new TemplateError(`${text} (line ${lineNumber}, column ${column + 1})`, lineNumber, column + 1);
  }
  return new TemplateError(message);
}

/** Parses, checks, rewrites and compiles `source` once; later calls answer from the cache. */
function compiled(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) {
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  if (typeof source !== 'string') throw new TemplateError('the template must be a string');
  let template: CompiledTemplate;
  try {
    const program = handlebars.parse(source);
    checkProgram(program);
    routeValuesThroughHelpers(program);
    handlebars.precompile(program, COMPILE_OPTIONS); // surfaces compiler errors now, not at the first render
    template = handlebars.compile<Record<string, unknown>>(program, COMPILE_OPTIONS);
  } catch (error) {
    throw compileError(error);
  }
  cache.set(source, template);
  if (cache.size > MAX_CACHED_TEMPLATES) cache.delete(cache.keys().next().value as string);
  return template;
}

/**
 * Throws TemplateError with a readable message (line/column when handlebars gives it) when the source does not
 * compile or uses an unknown helper (also: a partial, a decorator, a helper with the wrong number of arguments, a
 * block helper used inline).
 */
export function assertTemplateCompiles(source: string): void {
  compiled(source);
}

const MARKDOWN_V2_RESERVED = /[_*[\]()~`>#+\-=|{}.!\\]/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

const escapeMarkdownV2 = (text: string): string => text.replace(MARKDOWN_V2_RESERVED, '\\$&');
const escapeTelegramHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]);
const escapeSlackMrkdwn = (text: string): string => text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]);
const keepAsIs = (text: string): string => text;

function escaperFor(options: RenderOptions): (text: string) => string {
  switch (options.channel) {
    case 'telegram': {
      const mode: string = options.parseMode ?? 'MarkdownV2';
      if (mode === 'MarkdownV2') return escapeMarkdownV2;
      if (mode === 'HTML') return escapeTelegramHtml;
      throw new TemplateError(`unsupported Telegram parse mode "${mode}" (use MarkdownV2 or HTML)`);
    }
    case 'slack':
      return escapeSlackMrkdwn;
    case 'whatsapp':
      return keepAsIs;
    default:
      throw new TemplateError(`unknown channel "${String(options.channel)}"`);
  }
}

const checkedZones = new Set<string>();
const checkedLocales = new Set<string>();

function checkSettings(options: RenderOptions): void {
  if (!checkedZones.has(options.timezone)) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: options.timezone });
    } catch {
      throw new TemplateError(`unknown time zone "${options.timezone}" (expected an IANA zone such as Europe/Moscow)`);
    }
    checkedZones.add(options.timezone);
  }
  if (!checkedLocales.has(options.locale)) {
    try {
      if (Intl.getCanonicalLocales(options.locale).length !== 1) throw new RangeError(options.locale);
    } catch {
      throw new TemplateError(`invalid locale "${options.locale}" (expected a BCP 47 tag such as ru or en)`);
    }
    checkedLocales.add(options.locale);
  }
}

/** A value as printed (see display) and escaped; Handlebars SafeStrings are trusted as they are. */
function escapedValue(value: unknown, escape: (text: string) => string): string {
  if (value instanceof Handlebars.SafeString) return value.toHTML();
  return escape(display(value));
}

/** How long a `{{{raw}}}` value prints: Handlebars appends it as JavaScript turns it into text. */
function rawLength(value: unknown): number {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- "[object Object]" is what Handlebars prints
  return value === null || value === undefined ? 0 : String(value).length;
}

/** The helpers of one render: ours, the value printers and a budgeted `each`, each checking `budget` first. */
function renderHelpers(
  options: RenderOptions,
  escape: (text: string) => string,
  budget: RenderBudget,
): Record<string, Handlebars.HelperDelegate> {
  const ours = toHandlebarsHelpers(createHelpers({ timezone: options.timezone, locale: options.locale }), () =>
    budget.step(),
  );
  return {
    ...ours,
    each: budgetedEach(handlebars.helpers.each, budget),
    [ESCAPE_HELPER]: (value: unknown) => {
      budget.step();
      const text = escapedValue(value, escape);
      budget.printing(text.length);
      return text;
    },
    [RAW_HELPER]: (value: unknown) => {
      budget.step();
      budget.printing(rawLength(value));
      return value;
    },
  };
}

/**
 * Renders with per-channel escaping of every {{value}} (never of the template's own literal text): Telegram
 * MarkdownV2 escapes _*[]()~`>#+-=|{}.!\ ; Telegram HTML escapes & < > " ; Slack mrkdwn escapes & < > ; WhatsApp
 * none. {{{triple}}} stays raw. Throws TemplateError at render time (e.g. a helper given a bad date) with a readable
 * message. Strict about nothing else: a missing path renders as empty. Uses an isolated Handlebars environment
 * (Handlebars.create()), compiled templates cached by source.
 *
 * Bounded (see {@link RENDER_LIMITS}): a render that would print more than `maxOutputChars`, loop more than
 * `maxIterations` times or take more than `maxRenderMs` stops there with a {@link TemplateLimitError}.
 *
 * Helpers (see createHelpers in template-helpers.ts): date, time, datetime, weekday, money, phone, eq, join, default,
 * text, plus Handlebars' if, unless, each, with, lookup.
 */
export function renderTemplate(source: string, context: Record<string, unknown>, options: RenderOptions): string {
  const template = compiled(source);
  const escape = escaperFor(options);
  checkSettings(options);
  const budget = new RenderBudget({ ...RENDER_LIMITS, ...options.limits });
  const helpers = renderHelpers(options, escape, budget);
  let text: string;
  try {
    text = template(context, { helpers, allowCallsToHelperMissing: false });
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    if (error instanceof HelperInputError) throw new TemplateError(error.message, error.line, error.column);
    throw compileError(error);
  }
  budget.checkOutput(text.length);
  return text;
}
