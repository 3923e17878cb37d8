import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../../webhooks/source.entity';
import type { InboundRequest } from '../provider';
import { dedupKeyOf, readEnvelope, RECONCILIATION_HEADER, YclientsNormalizer } from './yclients.normalizer';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'providers', 'yclients');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.body`), 'utf8');

const source = {
  id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i',
  provider: 'yclients',
  config: { company_id: 307626 },
} as unknown as Source;

function requestOf(payload: unknown, headers: Record<string, string> = {}): InboundRequest {
  return { source, payload, headers, kind: null };
}

/** Parses raw bytes as the ingest pipeline does (JSON.parse), then normalises. */
function normalizeRaw(raw: string, headers: Record<string, string> = {}) {
  const request = requestOf(JSON.parse(raw), headers);
  const normalizer = new YclientsNormalizer();
  return { events: normalizer.normalize(request), dedupKey: normalizer.dedupKey(request) };
}

/**
 * Shaped like the real 2020 capture the notes describe: compact PHP json_encode output with `\/`,
 * lower-case `\uXXXX`, float artefacts, "+0300" dates, custom_fields as an object, api_id "".
 */
const CAPTURED_STYLE =
  '{"company_id":358944,"resource":"record","resource_id":234961815,"status":"update","data":{"id":234961815,' +
  '"company_id":358944,"staff_id":901,"services":[{"id":3012,"title":"\\u041c\\u0430\\u043d\\u0438\\u043a\\u044e\\u0440",' +
  '"cost":1500.0000000001,"cost_to_pay":1500.0000000001,"manual_cost":1500,"cost_per_unit":1500,' +
  '"discount":33.710000000000001,"first_cost":2262.9499999999998,"amount":1}],"goods_transactions":[],' +
  '"staff":{"id":901,"api_id":null,"name":"\\u0410\\u043d\\u043d\\u0430","specialization":"\\u043c\\u0430\\u0441\\u0442\\u0435\\u0440",' +
  '"position":[],"avatar":"https:\\/\\/assets.yclients.com\\/masters\\/sm\\/a.png","rating":4.8499999999999996},' +
  '"client":{"id":5551,"name":"\\u0418\\u0440\\u0438\\u043d\\u0430","surname":"","phone":"+79990000001","email":"",' +
  '"custom_fields":{"salesap_id":1786534}},"comer":null,"clients_count":1,"date":"2020-03-18 15:30:00",' +
  '"datetime":"2020-03-18T15:30:00+03:00","create_date":"2020-03-17T10:12:44+0300","comment":"\\u041f\\u043e\\u0437\\u0432\\u043e\\u043d\\u0438\\u0442\\u044c \\/ call",' +
  '"online":false,"visit_attendance":0,"attendance":2,"confirmed":1,"seance_length":5400,"length":5400,' +
  '"api_id":"","deleted":false,"last_change_date":"2020-03-18T09:05:31+0300","custom_fields":{"salesap_id":1786534},' +
  '"record_labels":[{"id":7,"title":"VIP","color":"#fff"}]}}';

describe('YclientsNormalizer', () => {
  it('record-create fixture: record.created with the booking fields templates read', () => {
    const raw = fixture('record-create');
    const { events, dedupKey } = normalizeRaw(raw);
    expect(dedupKey).toBe('yclients:307626:record:596792980:create:2025-07-13T06:49:08.000Z');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      eventType: 'record.created',
      eventSubtype: 'record_created',
      entityType: 'record',
      entityId: '596792980',
      entityKey: 'yclients:307626:record:596792980',
      occurredAt: new Date('2025-07-13T06:49:08.000Z'),
      context: { provider_event: 'record.create', company_id: '307626', received_via: 'webhook' },
    });
    expect(event.data.record).toEqual({
      id: '596792980',
      company_id: '307626',
      datetime: '2025-07-13T12:10:00+05:00',
      datetime_utc: '2025-07-13T07:10:00.000Z',
      date: '2025-07-13 12:10:00',
      length_s: 1500,
      services: [
        {
          id: '5034676',
          title: 'Стрижка мужская',
          cost: '4000.00',
          cost_to_pay: '4000.00',
          first_cost: '4000.00',
          discount: '0.00',
          amount: 1,
        },
      ],
      total_cost: '4000.00',
      staff: { id: '2835418', name: 'Нурзад', specialization: 'Barber', position: 'Барбер' },
      client: {
        id: '169711586',
        name: 'Вячеслав',
        surname: null,
        display_name: 'Вячеслав',
        phone: '+77770000002',
        email: null,
      },
      comment: '',
      deleted: false,
      attendance: 0,
      attendance_status: 'pending',
      confirmed: true,
      online: true,
      visit_id: '508928360',
      create_date: '2025-07-13T11:49:08+05:00',
      last_change_date: '2025-07-13T11:49:08+05:00',
    });
    // The provider's envelope and object stay, unescaped by JSON parsing.
    const body = JSON.parse(raw);
    expect(event.data).toMatchObject({
      company_id: 307626,
      resource: 'record',
      resource_id: 596792980,
      status: 'create',
    });
    expect(event.data.data).toEqual(body.data);
    expect((event.data.data as { short_link: string }).short_link).toBe('http://openhc.kz/c/Oyfhm/BqNtU/');
  });

  it('client-update fixture: client.updated with the client fields, no change time', () => {
    const { events, dedupKey } = normalizeRaw(fixture('client-update-INFERRED'));
    expect(dedupKey).toMatch(/^yclients:307626:client:169711586:update:sha256:[0-9a-f]{64}$/);
    expect(events).toEqual([
      {
        eventType: 'client.updated',
        eventSubtype: 'client_updated',
        entityType: 'client',
        entityId: '169711586',
        entityKey: 'yclients:307626:client:169711586',
        occurredAt: null,
        context: { provider_event: 'client.update', company_id: '307626', received_via: 'webhook' },
        data: expect.objectContaining({
          company_id: 307626,
          resource: 'client',
          resource_id: 169711586,
          status: 'update',
          client: {
            id: '169711586',
            name: 'Вячеслав',
            surname: null,
            display_name: 'Вячеслав',
            phone: '+77770000002',
            email: null,
          },
        }),
      },
    ]);
  });

  it('PHP output with float artefacts, \\/ and \\u escapes, "+0300" dates: money as 2-decimal strings', () => {
    const { events, dedupKey } = normalizeRaw(CAPTURED_STYLE);
    const [event] = events;
    expect(event).toMatchObject({
      eventType: 'record.updated',
      eventSubtype: 'record_updated',
      entityId: '234961815',
      entityKey: 'yclients:358944:record:234961815',
      occurredAt: new Date('2020-03-18T06:05:31.000Z'),
    });
    expect(dedupKey).toBe('yclients:358944:record:234961815:update:2020-03-18T06:05:31.000Z');
    expect(event.data.record).toMatchObject({
      datetime: '2020-03-18T15:30:00+03:00',
      datetime_utc: '2020-03-18T12:30:00.000Z',
      services: [
        {
          id: '3012',
          title: 'Маникюр',
          cost: '1500.00',
          cost_to_pay: '1500.00',
          first_cost: '2262.95',
          discount: '33.71',
          amount: 1,
        },
      ],
      total_cost: '1500.00',
      staff: { id: '901', name: 'Анна', specialization: 'мастер', position: null },
      client: { id: '5551', name: 'Ирина', surname: null, display_name: 'Ирина', phone: '+79990000001', email: null },
      comment: 'Позвонить / call',
      attendance: 2,
      attendance_status: 'confirmed',
      confirmed: true,
      online: false,
      length_s: 5400,
      create_date: '2020-03-17T10:12:44+03:00',
      last_change_date: '2020-03-18T09:05:31+03:00',
    });
    const data = event.data.data as {
      services: { cost: number }[];
      staff: { avatar: string; rating: number };
      custom_fields: unknown;
    };
    expect(data.services[0].cost).toBe(1500);
    expect(data.staff.avatar).toBe('https://assets.yclients.com/masters/sm/a.png');
    expect(data.custom_fields).toEqual({ salesap_id: 1786534 });
    expect(data.staff.rating).toBe(4.85);
  });

  it('a delete notification is record.deleted with deleted=true, even with little data', () => {
    const body = {
      company_id: 358944,
      resource: 'record',
      resource_id: 234961815,
      status: 'delete',
      data: { id: 234961815, deleted: true, last_change_date: '2020-03-19T08:00:00+0300' },
    };
    const normalizer = new YclientsNormalizer();
    const [event] = normalizer.normalize(requestOf(body));
    expect(event).toMatchObject({
      eventType: 'record.deleted',
      eventSubtype: 'record_deleted',
      entityKey: 'yclients:358944:record:234961815',
      occurredAt: new Date('2020-03-19T05:00:00.000Z'),
    });
    expect(event.data.record).toMatchObject({ deleted: true, services: [], total_cost: null, client: null });
    expect(normalizer.dedupKey(requestOf(body))).toBe(
      'yclients:358944:record:234961815:delete:2020-03-19T05:00:00.000Z',
    );
    const bare = { company_id: 1, resource: 'record', resource_id: 9, status: 'delete' };
    expect(normalizer.normalize(requestOf(bare))[0]).toMatchObject({
      eventType: 'record.deleted',
      entityId: '9',
      occurredAt: null,
    });
  });

  it('an update of a booking marked deleted stays record.updated and carries deleted=true; attendance -1 is a no-show', () => {
    const [event] = new YclientsNormalizer().normalize(
      requestOf({
        company_id: 1,
        resource: 'record',
        resource_id: 2,
        status: 'update',
        data: { id: 2, deleted: true, attendance: -1 },
      }),
    );
    expect(event.eventType).toBe('record.updated');
    expect(event.data.record).toMatchObject({ deleted: true, attendance: -1, attendance_status: 'no_show' });
  });

  it('client create and delete', () => {
    const normalizer = new YclientsNormalizer();
    const created = normalizer.normalize(
      requestOf({
        company_id: 5,
        resource: 'client',
        resource_id: 77,
        status: 'create',
        data: { id: 77, name: 'Ann', surname: 'Lee', phone: '+7 (999) 000-00-01', email: 'ann@example.com' },
      }),
    );
    expect(created[0]).toMatchObject({
      eventType: 'client.created',
      eventSubtype: 'client_created',
      entityType: 'client',
      entityId: '77',
      entityKey: 'yclients:5:client:77',
    });
    expect(created[0].data.client).toEqual({
      id: '77',
      name: 'Ann',
      surname: 'Lee',
      display_name: 'Ann Lee',
      phone: '+79990000001',
      email: 'ann@example.com',
    });
    const deleted = normalizer.normalize(
      requestOf({ company_id: 5, resource: 'client', resource_id: 77, status: 'delete', data: [] }),
    );
    expect(deleted[0]).toMatchObject({ eventType: 'client.deleted', eventSubtype: 'client_deleted' });
    expect(deleted[0].data.client).toEqual({ id: '77' });
  });

  it('other resources become yclients.<resource>.<status>', () => {
    const normalizer = new YclientsNormalizer();
    const [service] = normalizer.normalize(
      requestOf({ company_id: 5, resource: 'service', resource_id: 31, status: 'update', data: { id: 31, cost: 10 } }),
    );
    expect(service).toMatchObject({
      eventType: 'yclients.service.update',
      eventSubtype: 'service_update',
      entityType: 'service',
      entityId: '31',
      entityKey: 'yclients:5:service:31',
      occurredAt: null,
    });
    expect(service.data.record).toBeUndefined();
    const [sale] = normalizer.normalize(
      requestOf({ company_id: 5, resource: 'goods_operations_sale', resource_id: 8, status: 'create', data: {} }),
    );
    expect(sale).toMatchObject({ eventType: 'yclients.goods_operations_sale.create', entityId: '8' });
    const [odd] = normalizer.normalize(
      requestOf({ company_id: 5, resource: 'Finances Operation', resource_id: 'a-1', status: 'Restore', data: {} }),
    );
    expect(odd).toMatchObject({
      eventType: 'yclients.finances_operation.restore',
      entityKey: 'yclients:5:finances_operation:a-1',
    });
    const [record] = normalizer.normalize(
      requestOf({ company_id: 5, resource: 'record', resource_id: 3, status: 'restore', data: { id: 3 } }),
    );
    expect(record).toMatchObject({ eventType: 'record.restore', eventSubtype: 'record_restore' });
  });

  it('ids and money given as strings (a form-encoded or re-encoded body) read the same', () => {
    const [event] = new YclientsNormalizer().normalize(
      requestOf({
        company_id: '307626',
        resource: 'record',
        resource_id: '596792980',
        status: 'create',
        data: JSON.stringify({
          id: '596792980',
          services: [
            { id: '1', title: 'A', cost: '1500.0000000001' },
            { id: '2', title: 'B', cost: '99,5' },
          ],
          datetime: '2025-07-13 12:10',
          confirmed: '0',
          deleted: 'false',
        }),
      }),
    );
    expect(event).toMatchObject({ entityId: '596792980', entityKey: 'yclients:307626:record:596792980' });
    expect(event.data.record).toMatchObject({
      services: [
        { id: '1', cost: '1500.00' },
        { id: '2', cost: '99.50' },
      ],
      total_cost: '1599.50',
      datetime: '2025-07-13T12:10:00',
      datetime_utc: null,
      confirmed: false,
      deleted: false,
    });
  });

  it('undoes escapes a sender applied twice in text fields', () => {
    const [event] = new YclientsNormalizer().normalize(
      requestOf({
        company_id: 1,
        resource: 'record',
        resource_id: 2,
        status: 'update',
        data: {
          id: 2,
          comment: '\\u0422\\u0435\\u0441\\u0442 \\/ ok',
          staff: { id: 3, name: '\\u0410\\u043d\\u043d\\u0430' },
        },
      }),
    );
    expect(event.data.record).toMatchObject({ comment: 'Тест / ok', staff: { name: 'Анна' } });
  });

  it('notes replays of the reconciliation job, X-Hook-Id, and a company_id that is not the source’s', () => {
    const body = { company_id: 999, resource: 'record', resource_id: 2, status: 'update', data: { id: 2 } };
    const [event] = new YclientsNormalizer().normalize(
      requestOf(body, { [RECONCILIATION_HEADER]: 'yclients', 'x-hook-id': 'h-1' }),
    );
    expect(event.context).toEqual({
      provider_event: 'record.update',
      company_id: '999',
      received_via: 'reconciliation',
      hook_id: 'h-1',
      company_id_mismatch: true,
      config_company_id: '307626',
    });
  });

  describe('dedup key', () => {
    const webhook = JSON.parse(fixture('record-create'));

    it('is the same for a webhook and the reconciliation job’s replay of that change', () => {
      const { company_id, resource, resource_id, status, data } = webhook;
      const replay = {
        data: { ...data, last_change_date: '2025-07-13T11:49:08+05:00', extra_api_field: 1 },
        status,
        resource_id: String(resource_id),
        resource,
        company_id,
      };
      expect(dedupKeyOf(readEnvelope(replay))).toBe(dedupKeyOf(readEnvelope(webhook)));
    });

    it('differs for another change time or status of the same record', () => {
      const later = {
        ...webhook,
        status: 'update',
        data: { ...webhook.data, last_change_date: '2025-07-13T11:50:00+0500' },
      };
      const deleted = { ...webhook, status: 'delete' };
      const keys = [webhook, later, deleted].map((b) => dedupKeyOf(readEnvelope(b)));
      expect(new Set(keys).size).toBe(3);
    });

    it('without a change time hashes data, whatever the key order', () => {
      const a = {
        company_id: 1,
        resource: 'client',
        resource_id: 2,
        status: 'update',
        data: { id: 2, name: 'A', x: 1.5 },
      };
      const b = {
        status: 'update',
        data: { x: 1.5, name: 'A', id: 2 },
        resource_id: '2',
        resource: 'client',
        company_id: 1,
      };
      const c = { ...a, data: { ...a.data, name: 'B' } };
      expect(dedupKeyOf(readEnvelope(a))).toBe(dedupKeyOf(readEnvelope(b)));
      expect(dedupKeyOf(readEnvelope(a))).not.toBe(dedupKeyOf(readEnvelope(c)));
    });
  });

  describe('bodies that lack what the normaliser needs', () => {
    const cases: [string, unknown, RegExp][] = [
      ['not an object', [1, 2], /expected a JSON object/],
      [
        'no company_id',
        { resource: 'record', resource_id: 1, status: 'create', data: { id: 1 } },
        /company_id is missing/,
      ],
      ['no resource', { company_id: 1, resource_id: 1, status: 'create', data: { id: 1 } }, /resource is missing/],
      ['no status', { company_id: 1, resource: 'record', resource_id: 1, data: { id: 1 } }, /status is missing/],
      ['no resource_id', { company_id: 1, resource: 'record', status: 'create', data: {} }, /resource_id is missing/],
      [
        'no data for a record',
        { company_id: 1, resource: 'record', resource_id: 1, status: 'create' },
        /data is missing/,
      ],
      [
        'data not an object',
        { company_id: 1, resource: 'record', resource_id: 1, status: 'create', data: 5 },
        /data is not an object/,
      ],
    ];

    it.each(cases)('%s: throws a readable error and has no dedup key', (_name, payload, message) => {
      const normalizer = new YclientsNormalizer();
      expect(() => normalizer.normalize(requestOf(payload))).toThrow(message);
      expect(normalizer.dedupKey(requestOf(payload))).toBeNull();
    });
  });
});
