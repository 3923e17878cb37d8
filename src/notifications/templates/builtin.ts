import { TemplateError } from './template-engine';

export type BuiltinTemplateId =
  'booking_created' | 'booking_changed' | 'booking_cancelled' | 'lead_status_changed' | 'deal_won';

export const BUILTIN_TEMPLATE_IDS: readonly BuiltinTemplateId[] = [
  'booking_created',
  'booking_changed',
  'booking_cancelled',
  'lead_status_changed',
  'deal_won',
];

type Language = 'ru' | 'en';

/*
 * One source serves every channel, so the literal text holds no character that Telegram MarkdownV2 reserves
 * (_*[]()~`>#+-=|{}.!\): such punctuation goes through {{text "!"}}, which is escaped per channel like any value.
 * Each optional line is opened by the {{#if}} at the end of the line before it, so a missing field leaves no blank
 * line and the message never ends with a line break.
 */

const SERVICES = 'join booking.services key="title"';
const PREVIOUS_SERVICES = 'join booking.previous.services key="title"';

/** A value for an argument position: a helper call goes in parentheses, a path stays as it is. */
const arg = (expression: string): string => (expression.includes(' ') ? `(${expression})` : expression);

/**
 * "<icon> <label: >{was: X → now: }Y" for booking_changed: `was`/`now` are paths or helper calls (e.g.
 * `datetime booking.datetime`); the "was → now" part appears only when there is a previous value and it differs.
 */
function changedLine(icon: string, label: string, was: string, now: string, words: [string, string]): string {
  const prefix = label === '' ? '' : `${label}: `;
  return (
    `${icon} ${prefix}{{#if ${arg(was)}}}{{#unless (eq ${arg(was)} ${arg(now)})}}` +
    `${words[0]}: {{${was}}} → ${words[1]}: {{/unless}}{{/if}}{{${now}}}`
  );
}

const TEMPLATES: Record<Language, Record<BuiltinTemplateId, string>> = {
  ru: {
    booking_created: `✅ Вы записаны{{text "!"}}{{#if booking.datetime}}
📅 {{date booking.datetime}} в {{time booking.datetime}}{{/if}}{{#if (${SERVICES})}}
💇 {{${SERVICES}}}{{/if}}{{#if booking.staff}}
👤 Мастер: {{booking.staff}}{{/if}}{{#if booking.cost_total}}
💰 {{money booking.cost_total currency="RUB"}}{{/if}}{{#if booking.company}}
📍 {{booking.company}}{{/if}}`,

    booking_changed: `🔄 Запись изменена{{#if booking.datetime}}
${changedLine('📅', '', 'datetime booking.previous.datetime', 'datetime booking.datetime', ['было', 'стало'])}{{/if}}{{#if (${SERVICES})}}
${changedLine('💇', '', PREVIOUS_SERVICES, SERVICES, ['было', 'стало'])}{{/if}}{{#if booking.staff}}
${changedLine('👤', 'Мастер', 'booking.previous.staff', 'booking.staff', ['было', 'стало'])}{{/if}}{{#if booking.cost_total}}
💰 {{money booking.cost_total currency="RUB"}}{{/if}}{{#if booking.company}}
📍 {{booking.company}}{{/if}}`,

    booking_cancelled: `❌ Запись отменена{{#if booking.datetime}}
📅 {{date booking.datetime}} в {{time booking.datetime}}{{/if}}{{#if (${SERVICES})}}
💇 {{${SERVICES}}}{{/if}}{{#if booking.staff}}
👤 Мастер: {{booking.staff}}{{/if}}{{#if booking.company}}
📍 {{booking.company}}{{/if}}`,

    lead_status_changed: `📊 Сделка{{#if lead.id}} №{{lead.id}}{{/if}}: статус изменён{{#if lead.name}}
💼 {{lead.name}}{{/if}}
📌 {{#if lead.previous_status_name}}{{lead.previous_status_name}} → {{/if}}{{default lead.status_name "—"}}{{#if lead.pipeline_name}}
🗂 Воронка: {{lead.pipeline_name}}{{/if}}{{#if lead.price}}
💰 Бюджет: {{money lead.price currency="RUB"}}{{/if}}{{#if lead.responsible}}
👤 Ответственный: {{lead.responsible}}{{/if}}`,

    deal_won: `🏆 Сделка{{#if lead.id}} №{{lead.id}}{{/if}} выиграна{{text "!"}}{{#if lead.name}}
💼 {{lead.name}}{{/if}}{{#if lead.price}}
💰 Бюджет: {{money lead.price currency="RUB"}}{{/if}}{{#if lead.pipeline_name}}
🗂 Воронка: {{lead.pipeline_name}}{{/if}}{{#if lead.responsible}}
👤 Ответственный: {{lead.responsible}}{{/if}}`,
  },
  en: {
    booking_created: `✅ You're booked{{text "!"}}{{#if booking.datetime}}
📅 {{date booking.datetime}} at {{time booking.datetime}}{{/if}}{{#if (${SERVICES})}}
💇 {{${SERVICES}}}{{/if}}{{#if booking.staff}}
👤 Specialist: {{booking.staff}}{{/if}}{{#if booking.cost_total}}
💰 {{money booking.cost_total currency="RUB"}}{{/if}}{{#if booking.company}}
📍 {{booking.company}}{{/if}}`,

    booking_changed: `🔄 Booking changed{{#if booking.datetime}}
${changedLine('📅', '', 'datetime booking.previous.datetime', 'datetime booking.datetime', ['was', 'now'])}{{/if}}{{#if (${SERVICES})}}
${changedLine('💇', '', PREVIOUS_SERVICES, SERVICES, ['was', 'now'])}{{/if}}{{#if booking.staff}}
${changedLine('👤', 'Specialist', 'booking.previous.staff', 'booking.staff', ['was', 'now'])}{{/if}}{{#if booking.cost_total}}
💰 {{money booking.cost_total currency="RUB"}}{{/if}}{{#if booking.company}}
📍 {{booking.company}}{{/if}}`,

    booking_cancelled: `❌ Booking cancelled{{#if booking.datetime}}
📅 {{date booking.datetime}} at {{time booking.datetime}}{{/if}}{{#if (${SERVICES})}}
💇 {{${SERVICES}}}{{/if}}{{#if booking.staff}}
👤 Specialist: {{booking.staff}}{{/if}}{{#if booking.company}}
📍 {{booking.company}}{{/if}}`,

    lead_status_changed: `📊 Deal{{#if lead.id}} {{text "#" lead.id}}{{/if}}: status changed{{#if lead.name}}
💼 {{lead.name}}{{/if}}
📌 {{#if lead.previous_status_name}}{{lead.previous_status_name}} → {{/if}}{{default lead.status_name "—"}}{{#if lead.pipeline_name}}
🗂 Pipeline: {{lead.pipeline_name}}{{/if}}{{#if lead.price}}
💰 Budget: {{money lead.price currency="RUB"}}{{/if}}{{#if lead.responsible}}
👤 Responsible: {{lead.responsible}}{{/if}}`,

    deal_won: `🏆 Deal{{#if lead.id}} {{text "#" lead.id}}{{/if}} won{{text "!"}}{{#if lead.name}}
💼 {{lead.name}}{{/if}}{{#if lead.price}}
💰 Budget: {{money lead.price currency="RUB"}}{{/if}}{{#if lead.pipeline_name}}
🗂 Pipeline: {{lead.pipeline_name}}{{/if}}{{#if lead.responsible}}
👤 Responsible: {{lead.responsible}}{{/if}}`,
  },
};

function languageFor(locale: string): Language {
  try {
    return new Intl.Locale(locale).language === 'ru' ? 'ru' : 'en';
  } catch {
    return 'en';
  }
}

/** The template source for a built-in id in 'ru' or 'en' (other locales fall back to 'en'). */
export function builtinTemplate(id: BuiltinTemplateId, locale: string): string {
  const templates = TEMPLATES[languageFor(locale)];
  if (!Object.hasOwn(templates, id)) {
    throw new TemplateError(`unknown built-in template "${String(id)}" (one of ${BUILTIN_TEMPLATE_IDS.join(', ')})`);
  }
  return templates[id];
}
