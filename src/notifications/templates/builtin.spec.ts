import { builtinTemplate, BUILTIN_TEMPLATE_IDS, BuiltinTemplateId } from './builtin';
import { assertTemplateCompiles, renderTemplate, RenderOptions } from './template-engine';

type Language = 'ru' | 'en';
type Variant = 'markdownV2' | 'html' | 'slack' | 'whatsapp';

const VARIANTS: Record<Variant, Omit<RenderOptions, 'locale'>> = {
  markdownV2: { channel: 'telegram', timezone: 'Europe/Moscow' },
  html: { channel: 'telegram', parseMode: 'HTML', timezone: 'Europe/Moscow' },
  slack: { channel: 'slack', timezone: 'Europe/Moscow' },
  whatsapp: { channel: 'whatsapp', timezone: 'Europe/Moscow' },
};

/** A moved booking whose values hold characters each channel escapes differently (- & < > " ( ) and decimals). */
const BOOKING = {
  datetime: '2024-08-16T15:30:00+03:00',
  services: [
    { title: 'Мужская стрижка', cost: '1000.00' },
    { title: 'Борода & усы', cost: '500.50' },
  ],
  staff: 'Анна-Мария',
  client: { name: 'Иван', phone: '+79161234567' },
  cost_total: '1500.50',
  comment: null,
  company: 'Барбершоп <Борода>',
  previous: {
    datetime: '2024-08-15T14:00:00+03:00',
    staff: 'Александр',
    services: [{ title: 'Мужская стрижка', cost: '1000.00' }],
  },
};

const LEAD = {
  id: '1548',
  name: 'Сайт "под ключ" (срочно)',
  status_name: 'Переговоры',
  previous_status_name: 'Новая заявка',
  pipeline_name: 'Продажи & маркетинг',
  price: '150000.5',
  responsible: 'Анна <PM>',
};

const EVENT = { event_type: 'record.updated', data: {}, metadata: {} };

function render(
  id: BuiltinTemplateId,
  locale: string,
  options: Omit<RenderOptions, 'locale'>,
  context: object,
): string {
  return renderTemplate(builtinTemplate(id, locale), { event: EVENT, ...context }, { ...options, locale });
}

const EXPECTED: Record<BuiltinTemplateId, Record<Language, Record<Variant, string>>> = {
  booking_created: {
    ru: {
      markdownV2:
        '✅ Вы записаны\\!\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Мастер: Анна\\-Мария\n💰 1500,50 руб\n📍 Барбершоп <Борода\\>',
      html: '✅ Вы записаны!\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Мастер: Анна-Мария\n💰 1500,50 руб\n📍 Барбершоп &lt;Борода&gt;',
      slack:
        '✅ Вы записаны!\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Мастер: Анна-Мария\n💰 1500,50 руб\n📍 Барбершоп &lt;Борода&gt;',
      whatsapp:
        '✅ Вы записаны!\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Мастер: Анна-Мария\n💰 1500,50 руб\n📍 Барбершоп <Борода>',
    },
    en: {
      markdownV2:
        "✅ You're booked\\!\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Specialist: Анна\\-Мария\n💰 1500\\.50 RUB\n📍 Барбершоп <Борода\\>",
      html: "✅ You're booked!\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Specialist: Анна-Мария\n💰 1500.50 RUB\n📍 Барбершоп &lt;Борода&gt;",
      slack:
        "✅ You're booked!\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Specialist: Анна-Мария\n💰 1500.50 RUB\n📍 Барбершоп &lt;Борода&gt;",
      whatsapp:
        "✅ You're booked!\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Specialist: Анна-Мария\n💰 1500.50 RUB\n📍 Барбершоп <Борода>",
    },
  },
  booking_changed: {
    ru: {
      markdownV2:
        '🔄 Запись изменена\n📅 было: 15 августа в 14:00 → стало: 16 августа в 15:30\n💇 было: Мужская стрижка → стало: Мужская стрижка, Борода & усы\n👤 Мастер: было: Александр → стало: Анна\\-Мария\n💰 1500,50 руб\n📍 Барбершоп <Борода\\>',
      html: '🔄 Запись изменена\n📅 было: 15 августа в 14:00 → стало: 16 августа в 15:30\n💇 было: Мужская стрижка → стало: Мужская стрижка, Борода &amp; усы\n👤 Мастер: было: Александр → стало: Анна-Мария\n💰 1500,50 руб\n📍 Барбершоп &lt;Борода&gt;',
      slack:
        '🔄 Запись изменена\n📅 было: 15 августа в 14:00 → стало: 16 августа в 15:30\n💇 было: Мужская стрижка → стало: Мужская стрижка, Борода &amp; усы\n👤 Мастер: было: Александр → стало: Анна-Мария\n💰 1500,50 руб\n📍 Барбершоп &lt;Борода&gt;',
      whatsapp:
        '🔄 Запись изменена\n📅 было: 15 августа в 14:00 → стало: 16 августа в 15:30\n💇 было: Мужская стрижка → стало: Мужская стрижка, Борода & усы\n👤 Мастер: было: Александр → стало: Анна-Мария\n💰 1500,50 руб\n📍 Барбершоп <Борода>',
    },
    en: {
      markdownV2:
        '🔄 Booking changed\n📅 was: August 15 at 14:00 → now: August 16 at 15:30\n💇 was: Мужская стрижка → now: Мужская стрижка, Борода & усы\n👤 Specialist: was: Александр → now: Анна\\-Мария\n💰 1500\\.50 RUB\n📍 Барбершоп <Борода\\>',
      html: '🔄 Booking changed\n📅 was: August 15 at 14:00 → now: August 16 at 15:30\n💇 was: Мужская стрижка → now: Мужская стрижка, Борода &amp; усы\n👤 Specialist: was: Александр → now: Анна-Мария\n💰 1500.50 RUB\n📍 Барбершоп &lt;Борода&gt;',
      slack:
        '🔄 Booking changed\n📅 was: August 15 at 14:00 → now: August 16 at 15:30\n💇 was: Мужская стрижка → now: Мужская стрижка, Борода &amp; усы\n👤 Specialist: was: Александр → now: Анна-Мария\n💰 1500.50 RUB\n📍 Барбершоп &lt;Борода&gt;',
      whatsapp:
        '🔄 Booking changed\n📅 was: August 15 at 14:00 → now: August 16 at 15:30\n💇 was: Мужская стрижка → now: Мужская стрижка, Борода & усы\n👤 Specialist: was: Александр → now: Анна-Мария\n💰 1500.50 RUB\n📍 Барбершоп <Борода>',
    },
  },
  booking_cancelled: {
    ru: {
      markdownV2:
        '❌ Запись отменена\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Мастер: Анна\\-Мария\n📍 Барбершоп <Борода\\>',
      html: '❌ Запись отменена\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Мастер: Анна-Мария\n📍 Барбершоп &lt;Борода&gt;',
      slack:
        '❌ Запись отменена\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Мастер: Анна-Мария\n📍 Барбершоп &lt;Борода&gt;',
      whatsapp:
        '❌ Запись отменена\n📅 16 августа в 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Мастер: Анна-Мария\n📍 Барбершоп <Борода>',
    },
    en: {
      markdownV2:
        '❌ Booking cancelled\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Specialist: Анна\\-Мария\n📍 Барбершоп <Борода\\>',
      html: '❌ Booking cancelled\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Specialist: Анна-Мария\n📍 Барбершоп &lt;Борода&gt;',
      slack:
        '❌ Booking cancelled\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода &amp; усы\n👤 Specialist: Анна-Мария\n📍 Барбершоп &lt;Борода&gt;',
      whatsapp:
        '❌ Booking cancelled\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Specialist: Анна-Мария\n📍 Барбершоп <Борода>',
    },
  },
  lead_status_changed: {
    ru: {
      markdownV2:
        '📊 Сделка №1548: статус изменён\n💼 Сайт "под ключ" \\(срочно\\)\n📌 Новая заявка → Переговоры\n🗂 Воронка: Продажи & маркетинг\n💰 Бюджет: 150000,50 руб\n👤 Ответственный: Анна <PM\\>',
      html: '📊 Сделка №1548: статус изменён\n💼 Сайт &quot;под ключ&quot; (срочно)\n📌 Новая заявка → Переговоры\n🗂 Воронка: Продажи &amp; маркетинг\n💰 Бюджет: 150000,50 руб\n👤 Ответственный: Анна &lt;PM&gt;',
      slack:
        '📊 Сделка №1548: статус изменён\n💼 Сайт "под ключ" (срочно)\n📌 Новая заявка → Переговоры\n🗂 Воронка: Продажи &amp; маркетинг\n💰 Бюджет: 150000,50 руб\n👤 Ответственный: Анна &lt;PM&gt;',
      whatsapp:
        '📊 Сделка №1548: статус изменён\n💼 Сайт "под ключ" (срочно)\n📌 Новая заявка → Переговоры\n🗂 Воронка: Продажи & маркетинг\n💰 Бюджет: 150000,50 руб\n👤 Ответственный: Анна <PM>',
    },
    en: {
      markdownV2:
        '📊 Deal \\#1548: status changed\n💼 Сайт "под ключ" \\(срочно\\)\n📌 Новая заявка → Переговоры\n🗂 Pipeline: Продажи & маркетинг\n💰 Budget: 150000\\.50 RUB\n👤 Responsible: Анна <PM\\>',
      html: '📊 Deal #1548: status changed\n💼 Сайт &quot;под ключ&quot; (срочно)\n📌 Новая заявка → Переговоры\n🗂 Pipeline: Продажи &amp; маркетинг\n💰 Budget: 150000.50 RUB\n👤 Responsible: Анна &lt;PM&gt;',
      slack:
        '📊 Deal #1548: status changed\n💼 Сайт "под ключ" (срочно)\n📌 Новая заявка → Переговоры\n🗂 Pipeline: Продажи &amp; маркетинг\n💰 Budget: 150000.50 RUB\n👤 Responsible: Анна &lt;PM&gt;',
      whatsapp:
        '📊 Deal #1548: status changed\n💼 Сайт "под ключ" (срочно)\n📌 Новая заявка → Переговоры\n🗂 Pipeline: Продажи & маркетинг\n💰 Budget: 150000.50 RUB\n👤 Responsible: Анна <PM>',
    },
  },
  deal_won: {
    ru: {
      markdownV2:
        '🏆 Сделка №1548 выиграна\\!\n💼 Сайт "под ключ" \\(срочно\\)\n💰 Бюджет: 150000,50 руб\n🗂 Воронка: Продажи & маркетинг\n👤 Ответственный: Анна <PM\\>',
      html: '🏆 Сделка №1548 выиграна!\n💼 Сайт &quot;под ключ&quot; (срочно)\n💰 Бюджет: 150000,50 руб\n🗂 Воронка: Продажи &amp; маркетинг\n👤 Ответственный: Анна &lt;PM&gt;',
      slack:
        '🏆 Сделка №1548 выиграна!\n💼 Сайт "под ключ" (срочно)\n💰 Бюджет: 150000,50 руб\n🗂 Воронка: Продажи &amp; маркетинг\n👤 Ответственный: Анна &lt;PM&gt;',
      whatsapp:
        '🏆 Сделка №1548 выиграна!\n💼 Сайт "под ключ" (срочно)\n💰 Бюджет: 150000,50 руб\n🗂 Воронка: Продажи & маркетинг\n👤 Ответственный: Анна <PM>',
    },
    en: {
      markdownV2:
        '🏆 Deal \\#1548 won\\!\n💼 Сайт "под ключ" \\(срочно\\)\n💰 Budget: 150000\\.50 RUB\n🗂 Pipeline: Продажи & маркетинг\n👤 Responsible: Анна <PM\\>',
      html: '🏆 Deal #1548 won!\n💼 Сайт &quot;под ключ&quot; (срочно)\n💰 Budget: 150000.50 RUB\n🗂 Pipeline: Продажи &amp; маркетинг\n👤 Responsible: Анна &lt;PM&gt;',
      slack:
        '🏆 Deal #1548 won!\n💼 Сайт "под ключ" (срочно)\n💰 Budget: 150000.50 RUB\n🗂 Pipeline: Продажи &amp; маркетинг\n👤 Responsible: Анна &lt;PM&gt;',
      whatsapp:
        '🏆 Deal #1548 won!\n💼 Сайт "под ключ" (срочно)\n💰 Budget: 150000.50 RUB\n🗂 Pipeline: Продажи & маркетинг\n👤 Responsible: Анна <PM>',
    },
  },
};

describe('built-in templates', () => {
  const cases = BUILTIN_TEMPLATE_IDS.flatMap((id) =>
    (['ru', 'en'] as const).flatMap((language) =>
      (Object.keys(VARIANTS) as Variant[]).map((variant) => [id, language, variant] as const),
    ),
  );

  it.each(cases)('renders %s in %s for %s exactly', (id, language, variant) => {
    const text = render(id, language, VARIANTS[variant], { booking: BOOKING, lead: LEAD });
    expect(text).toBe(EXPECTED[id][language][variant]);
  });

  it('lists every built-in, and each compiles', () => {
    expect(BUILTIN_TEMPLATE_IDS).toEqual([
      'booking_created',
      'booking_changed',
      'booking_cancelled',
      'lead_status_changed',
      'deal_won',
    ]);
    for (const id of BUILTIN_TEMPLATE_IDS) {
      for (const locale of ['ru', 'en'])
        expect(() => assertTemplateCompiles(builtinTemplate(id, locale))).not.toThrow();
    }
  });

  it('renders the plain confirmation of a booking ("Вы записаны!")', () => {
    const booking = {
      datetime: '2024-08-15T14:00:00+03:00',
      services: [{ title: 'Мужская стрижка', cost: '1500.00' }],
      staff: 'Александр',
      client: { name: 'Иван', phone: '79161234567' },
      cost_total: '1500.00',
      comment: null,
      company: null,
    };
    expect(render('booking_created', 'ru', VARIANTS.whatsapp, { booking })).toBe(
      '✅ Вы записаны!\n📅 15 августа в 14:00\n💇 Мужская стрижка\n👤 Мастер: Александр\n💰 1500 руб',
    );
    expect(render('booking_created', 'en', VARIANTS.markdownV2, { booking })).toBe(
      "✅ You're booked\\!\n📅 August 15 at 14:00\n💇 Мужская стрижка\n👤 Specialist: Александр\n💰 1500 RUB",
    );
  });

  it('leaves out the lines of missing fields, without blank lines', () => {
    const booking = {
      datetime: '2024-08-15T14:00:00+03:00',
      services: [],
      staff: null,
      cost_total: null,
      company: null,
    };
    expect(render('booking_created', 'ru', VARIANTS.markdownV2, { booking })).toBe(
      '✅ Вы записаны\\!\n📅 15 августа в 14:00',
    );
    expect(render('booking_cancelled', 'en', VARIANTS.slack, { booking })).toBe(
      '❌ Booking cancelled\n📅 August 15 at 14:00',
    );
    expect(render('deal_won', 'ru', VARIANTS.whatsapp, { lead: { id: '7', name: null, price: null } })).toBe(
      '🏆 Сделка №7 выиграна!',
    );
    expect(render('lead_status_changed', 'en', VARIANTS.whatsapp, { lead: { id: null, status_name: null } })).toBe(
      '📊 Deal: status changed\n📌 —',
    );
  });

  it('shows "was → now" only for what changed in booking_changed', () => {
    const booking = {
      ...BOOKING,
      datetime: '2024-08-15T11:00:00Z', // the same moment as the previous +03:00 time
      staff: 'Александр',
      previous: { ...BOOKING.previous, services: BOOKING.services },
    };
    expect(render('booking_changed', 'ru', VARIANTS.whatsapp, { booking })).toBe(
      '🔄 Запись изменена\n📅 15 августа в 14:00\n💇 Мужская стрижка, Борода & усы\n👤 Мастер: Александр\n' +
        '💰 1500,50 руб\n📍 Барбершоп <Борода>',
    );
    const { previous: _previous, ...withoutPrevious } = BOOKING;
    expect(render('booking_changed', 'en', VARIANTS.whatsapp, { booking: withoutPrevious })).toBe(
      '🔄 Booking changed\n📅 August 16 at 15:30\n💇 Мужская стрижка, Борода & усы\n👤 Specialist: Анна-Мария\n' +
        '💰 1500.50 RUB\n📍 Барбершоп <Борода>',
    );
  });

  it('serves ru for ru-RU and falls back to en for other locales', () => {
    expect(builtinTemplate('deal_won', 'ru-RU')).toBe(builtinTemplate('deal_won', 'ru'));
    expect(builtinTemplate('deal_won', 'de')).toBe(builtinTemplate('deal_won', 'en'));
    expect(builtinTemplate('deal_won', '??')).toBe(builtinTemplate('deal_won', 'en'));
    expect(render('deal_won', 'de', VARIANTS.whatsapp, { lead: LEAD })).toBe(
      '🏆 Deal #1548 won!\n💼 Сайт "под ключ" (срочно)\n💰 Budget: 150000,50 RUB\n🗂 Pipeline: Продажи & маркетинг\n' +
        '👤 Responsible: Анна <PM>',
    );
  });

  it('refuses an unknown id', () => {
    expect(() => builtinTemplate('nope' as BuiltinTemplateId, 'ru')).toThrow('unknown built-in template "nope"');
  });
});
