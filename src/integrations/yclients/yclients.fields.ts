import {
  boolOf,
  idOf,
  instantOf,
  intOf,
  isoLocalOf,
  Json,
  moneyOf,
  objectOf,
  phoneOf,
  sumMoney,
  textOf,
  tidyNumber,
} from './yclients.values';

/** A client as notification templates read it: names unescaped, phone as `+` and digits. */
export interface ClientFields {
  id: string | null;
  name: string | null;
  surname: string | null;
  display_name: string | null;
  phone: string | null;
  email: string | null;
}

export interface ServiceFields {
  id: string | null;
  title: string | null;
  /** Money as decimal strings with two decimals. */
  cost: string | null;
  cost_to_pay: string | null;
  first_cost: string | null;
  /** Percent, as a decimal string. */
  discount: string | null;
  amount: number | null;
}

export interface StaffFields {
  id: string | null;
  name: string | null;
  specialization: string | null;
  position: string | null;
}

/** `attendance` of a booking: -1 no-show, 0 pending, 1 arrived, 2 confirmed. */
export const ATTENDANCE: Record<string, string> = { '-1': 'no_show', '0': 'pending', '1': 'arrived', '2': 'confirmed' };

/** A booking (`record`) as notification templates read it; the provider object stays beside it in `data.data`. */
export interface RecordFields {
  id: string | null;
  company_id: string | null;
  /** Start, ISO-8601 with the company's own offset as YClients gives it ("2025-07-13T12:10:00+05:00"). */
  datetime: string | null;
  /** The same instant in UTC; null when YClients gave no offset. */
  datetime_utc: string | null;
  /** Start in local time as YClients gives it ("2025-07-13 12:10:00"). */
  date: string | null;
  length_s: number | null;
  services: ServiceFields[];
  /** Sum of `services[].cost`. */
  total_cost: string | null;
  staff: StaffFields | null;
  client: ClientFields | null;
  comment: string;
  deleted: boolean;
  attendance: number | null;
  attendance_status: string | null;
  confirmed: boolean | null;
  online: boolean | null;
  visit_id: string | null;
  create_date: string | null;
  last_change_date: string | null;
}

export function clientFields(value: unknown): ClientFields | null {
  const c = objectOf(value);
  if (!c || Object.keys(c).length === 0) return null;
  const name = textOf(c.name);
  const surname = textOf(c.surname);
  const joined = [name, surname].filter((p) => p !== null).join(' ');
  return {
    id: idOf(c.id),
    name,
    surname,
    display_name: textOf(c.display_name) ?? (joined === '' ? null : joined),
    phone: phoneOf(c.phone),
    email: textOf(c.email),
  };
}

function serviceFields(value: unknown): ServiceFields | null {
  const s = objectOf(value);
  if (!s) return null;
  const amount = typeof s.amount === 'number' ? tidyNumber(s.amount) : intOf(s.amount);
  return {
    id: idOf(s.id),
    title: textOf(s.title),
    cost: moneyOf(s.cost),
    cost_to_pay: moneyOf(s.cost_to_pay),
    first_cost: moneyOf(s.first_cost),
    discount: moneyOf(s.discount),
    amount,
  };
}

function staffFields(value: unknown): StaffFields | null {
  const s = objectOf(value);
  if (!s || Object.keys(s).length === 0) return null;
  return {
    id: idOf(s.id),
    name: textOf(s.name),
    specialization: textOf(s.specialization),
    position: textOf(objectOf(s.position)?.title),
  };
}

function servicesOf(value: unknown): ServiceFields[] {
  if (Array.isArray(value)) return value.map(serviceFields).filter((s): s is ServiceFields => s !== null);
  const keyed = objectOf(value);
  return keyed ? servicesOf(Object.values(keyed)) : [];
}

/** The booking fields of a record's `data`; `deleted` is also true for a `delete` notification. */
export function recordFields(data: Json, status: string): RecordFields {
  const services = servicesOf(data.services);
  const attendance = intOf(data.attendance);
  const start = isoLocalOf(data.datetime);
  const startInstant = instantOf(data.datetime);
  return {
    id: idOf(data.id),
    company_id: idOf(data.company_id),
    datetime: start,
    datetime_utc: startInstant?.toISOString() ?? null,
    date: textOf(data.date),
    length_s: intOf(data.seance_length) ?? intOf(data.length),
    services,
    total_cost: sumMoney(services.map((s) => s.cost)),
    staff: staffFields(data.staff),
    client: clientFields(data.client),
    comment: textOf(data.comment) ?? '',
    deleted: status === 'delete' || boolOf(data.deleted) === true,
    attendance,
    attendance_status: attendance === null ? null : (ATTENDANCE[String(attendance)] ?? null),
    confirmed: boolOf(data.confirmed),
    online: boolOf(data.online),
    visit_id: idOf(data.visit_id),
    create_date: isoLocalOf(data.create_date),
    last_change_date: isoLocalOf(data.last_change_date),
  };
}
