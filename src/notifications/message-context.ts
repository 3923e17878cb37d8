import type { Event } from '../events/event.entity';

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;

/** Event types that are bookings (YClients records) and get booking suppression and context. */
export function isBookingEvent(eventType: string): boolean {
  return /^record\.(created|updated|deleted)$/.test(eventType);
}

/** The booking itself inside an event's data: YClients' `data` block, wherever the normaliser put it. */
function bookingRecord(data: Record<string, unknown>): Record<string, unknown> {
  for (const candidate of [data.record, data.data, data]) {
    const record = obj(candidate);
    if ('services' in record || 'datetime' in record) return record;
  }
  return {};
}

/** Sums service costs as an exact decimal string (no float artefacts). */
function sumCosts(costs: (string | null)[]): string | null {
  const known = costs.filter((c): c is string => c !== null && /^-?\d+(\.\d+)?$/.test(c));
  if (known.length === 0) return null;
  const cents = known.reduce((total, c) => total + Math.round(Number(c) * 100), 0);
  return (cents / 100).toFixed(2);
}

export interface BookingView {
  datetime: string | null;
  services: { title: string; cost: string | null }[];
  staff: string | null;
  client: { name: string | null; phone: string | null };
  cost_total: string | null;
  comment: string | null;
  company: string | null;
  previous?: { datetime: string | null; staff: string | null; services: { title: string; cost: string | null }[] };
}

/** The booking a template talks about, read from a YClients record event. */
export function bookingView(data: Record<string, unknown>): BookingView {
  const record = bookingRecord(data);
  const services = (Array.isArray(record.services) ? record.services : []).map((s) => {
    const service = obj(s);
    return { title: text(service.title) ?? '', cost: text(service.cost_to_pay ?? service.cost) };
  });
  const client = obj(record.client);
  return {
    datetime: text(record.datetime) ?? text(record.date),
    services,
    staff: text(obj(record.staff).name),
    client: { name: text(client.display_name) ?? text(client.name), phone: text(client.phone) },
    cost_total: text(record.total_cost) ?? text(record.cost_total) ?? sumCosts(services.map((s) => s.cost)),
    comment: text(record.comment),
    company: text(obj(record.company).title) ?? text(record.company_name),
  };
}

/** A CRM lead as templates see it (Kommo lead events). */
export function leadView(data: Record<string, unknown>): Record<string, unknown> {
  const lead = obj(data.lead ?? data);
  return {
    id: text(lead.id),
    name: text(lead.name),
    status_name: text(lead.status_name),
    previous_status_name: text(lead.old_status_name ?? lead.previous_status_name),
    pipeline_name: text(lead.pipeline_name),
    price: text(lead.price),
    responsible: text(lead.responsible_user_name ?? lead.responsible),
  };
}

/** Everything a template can use: the event, and the booking or lead it is about. */
export function messageContext(event: Event, previous: Event | null): Record<string, unknown> {
  const context: Record<string, unknown> = {
    event: { event_id: event.id, event_type: event.eventType, data: event.data, metadata: event.metadata },
  };
  if (isBookingEvent(event.eventType)) {
    const booking = bookingView(event.data);
    if (previous) {
      const before = bookingView(previous.data);
      booking.previous = { datetime: before.datetime, staff: before.staff, services: before.services };
    }
    context.booking = booking;
  }
  if (/^(lead|deal)\./.test(event.eventType)) context.lead = leadView(event.data);
  return context;
}

/** Digits of a phone number, for matching a client across channels. */
export function phoneDigits(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits : null;
}
