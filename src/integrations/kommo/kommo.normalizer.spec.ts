import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePayload } from '../../webhooks/payload';
import type { Source } from '../../webhooks/source.entity';
import type { InboundRequest, NormalizedEvent, SourceConfig } from '../provider';
import { kommoIngestPath } from './index';
import { KommoNormalizer } from './kommo.normalizer';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'providers', 'kommo');
const normalizer = new KommoNormalizer();

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, `${name}.body`));
}

function request(payload: unknown, config: SourceConfig = {}): InboundRequest {
  const source = { id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i', provider: 'kommo', scheme: 'url-token', config } as Source;
  return { source, payload, headers: {}, kind: null };
}

/** What ingest stores for a form body: the same qs parsing. */
function fromForm(body: string | Buffer, config?: SourceConfig): InboundRequest {
  return request(parsePayload(Buffer.isBuffer(body) ? body : Buffer.from(body), 'form'), config);
}

function normalize(body: string | Buffer, config?: SourceConfig): NormalizedEvent[] {
  return normalizer.normalize(fromForm(body, config));
}

/** PHP `http_build_query`: keys and values urlencoded (brackets too), spaces as `+`, upper-case hex. */
function phpQuery(value: Record<string, unknown>): string {
  const pairs: string[] = [];
  const encode = (s: string): string =>
    encodeURIComponent(s)
      .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}[${key}]` : key);
    } else {
      pairs.push(`${encode(path)}=${encode(String(node))}`);
    }
  };
  walk(value, '');
  return pairs.join('&');
}

const ACCOUNT = { subdomain: 'examplecorp', id: '29013640', _links: { self: 'https://examplecorp.amocrm.ru' } };
const ACCOUNT_DATA = { id: '29013640', subdomain: 'examplecorp', url: 'https://examplecorp.amocrm.ru' };
const T1 = '1726139530';
const T1_ISO = '2024-09-12T11:12:10.000Z';

/** A body of one entity/action with one item, the account block last as in CRM hooks. */
function body(entity: string, action: string, item: Record<string, unknown>): string {
  return phpQuery({ [entity]: { [action]: [item] }, account: ACCOUNT });
}

const brief = (events: NormalizedEvent[]) =>
  events.map((e) => ({
    type: e.eventType,
    subtype: e.eventSubtype,
    entity: e.entityType,
    id: e.entityId,
    key: e.entityKey,
    at: e.occurredAt?.toISOString() ?? null,
  }));

describe('KommoNormalizer', () => {
  describe('fixtures', () => {
    it('lead-status-change: one lead.status_changed with the stage ids, custom fields (bare date value) and updated_at', () => {
      const events = normalize(fixture('lead-status-change'));
      expect(events).toEqual([
        {
          eventType: 'lead.status_changed',
          eventSubtype: 'lead_status_changed',
          entityType: 'lead',
          entityId: '23802129',
          entityKey: 'kommo:29013640:lead:23802129',
          occurredAt: new Date('2024-09-12T11:12:10.000Z'),
          data: {
            account: ACCOUNT_DATA,
            action: 'status',
            lead: {
              id: '23802129',
              name: 'Заявка с сайта #1548',
              status_id: '47873533',
              old_status_id: '47888833',
              price: '15000',
              responsible_user_id: '8373541',
              last_modified: '1726139530',
              modified_user_id: '8373541',
              created_user_id: '0',
              date_create: '1726046415',
              pipeline_id: '5389528',
              old_pipeline_id: '5389528',
              account_id: '29013640',
              custom_fields: [
                { id: '1119321', name: 'utm_source', values: [{ value: 'yandex' }] },
                { id: '427271', name: 'Дата визита', values: [{ value: '1726174800' }] },
              ],
              created_at: '1726046415',
              updated_at: '1726139530',
            },
            occurred_at: '2024-09-12T11:12:10.000Z',
          },
          context: {
            trigger: 'stage_changed',
            triggers: ['stage_changed'],
            kommo: { family: 'crm', account: ACCOUNT_DATA, changes: ['leads[status]:23802129'] },
          },
        },
      ]);
    });

    it('contact-add: contact.created with the phone multi-field, linked leads, and "+" kept in the phone', () => {
      const events = normalize(fixture('contact-add'));
      expect(events).toEqual([
        {
          eventType: 'contact.created',
          eventSubtype: 'contact_created',
          entityType: 'contact',
          entityId: '10952709',
          entityKey: 'kommo:29013640:contact:10952709',
          occurredAt: new Date('2024-09-12T11:13:20.000Z'),
          data: {
            account: ACCOUNT_DATA,
            action: 'add',
            contact: {
              id: '10952709',
              name: 'Иван Петров',
              responsible_user_id: '8373541',
              date_create: '1726139600',
              last_modified: '1726139600',
              created_user_id: '8373541',
              modified_user_id: '8373541',
              company_name: 'ООО "Ромашка"',
              linked_company_id: '10857345',
              account_id: '29013640',
              custom_fields: [
                { id: '575809', name: 'Телефон', code: 'PHONE', values: [{ value: '+79161234567', enum: '311321' }] },
              ],
              linked_leads_id: { '23802129': { ID: '23802129' } },
              created_at: '1726139600',
              updated_at: '1726139600',
              type: 'contact',
            },
            occurred_at: '2024-09-12T11:13:20.000Z',
          },
          context: {
            trigger: 'contact_created',
            triggers: ['contact_created'],
            kommo: { family: 'crm', account: ACCOUNT_DATA, changes: ['contacts[add]:10952709'] },
          },
        },
      ]);
    });

    it('incoming-chat-message: message.received from Telegram, the account block first', () => {
      const account = { id: '31257294', subdomain: 'examplecorp', url: 'https://examplecorp.kommo.com' };
      const events = normalize(fixture('incoming-chat-message'));
      expect(events).toEqual([
        {
          eventType: 'message.received',
          eventSubtype: 'message_received',
          entityType: 'message',
          entityId: 'd3bac6d3-1b5e-40c2-a054-4e0cfe283edb',
          entityKey: 'kommo:31257294:message:d3bac6d3-1b5e-40c2-a054-4e0cfe283edb',
          occurredAt: new Date('2024-09-12T11:15:00.000Z'),
          data: {
            account,
            action: 'add',
            message: {
              id: 'd3bac6d3-1b5e-40c2-a054-4e0cfe283edb',
              chat_id: '54caee02-e383-46d8-a9b7-1fb43f07cffe',
              talk_id: '100',
              contact_id: '93589657',
              text: 'Здравствуйте! Можно записаться на завтра в 10:00?',
              created_at: '1726139700',
              element_type: '2',
              entity_type: 'lead',
              element_id: '28455849',
              entity_id: '28455849',
              type: 'incoming',
              author: {
                id: '1db2f5cc-aea4-4f96-8d4f-a256ead5b7b0',
                type: 'external',
                name: 'Oleg',
                avatar_url:
                  'https://amojo.kommo.com/attachments/profiles/1db2f5cc-aea4-4f96-8d4f-a256ead5b7b0/RKCPe-file-1_128x128.jpg',
              },
              origin: 'telegram',
            },
            occurred_at: '2024-09-12T11:15:00.000Z',
          },
          context: {
            trigger: 'message_received',
            triggers: ['message_received'],
            kommo: { family: 'crm', account, changes: ['message[add]:d3bac6d3-1b5e-40c2-a054-4e0cfe283edb'] },
          },
        },
      ]);
    });

    it('chats-api-outgoing-message-v2: message.sent keyed by the source account, timed by msec_timestamp', () => {
      const payload = parsePayload(fixture('chats-api-outgoing-message-v2'), 'json');
      const events = normalizer.normalize(request(payload, { account_id: '31257294' }));
      expect(events).toEqual([
        {
          eventType: 'message.sent',
          eventSubtype: 'message_sent',
          entityType: 'message',
          entityId: '0371a0ff-b78a-4c7b-8538-a7d547e10692',
          entityKey: 'kommo:31257294:message:0371a0ff-b78a-4c7b-8538-a7d547e10692',
          occurredAt: new Date('2024-09-12T11:36:39.512Z'),
          data: {
            account: { amojo_id: '52e591f7-c98f-4255-8495-827210138c81' },
            conversation: { id: '8e4d4baa-9e6c-4a88-838a-5f62be227bdc', client_id: 'my_int-d5a421f7f218' },
            sender: { id: '76fc2bea-902f-425c-9a3d-dcdac4766090' },
            receiver: {
              id: '2ed64e26-70a1-4857-8382-bb066a076219',
              phone: '79161234567',
              email: '',
              client_id: 'my_int-1376265f-86df-4c49-a0c3-a4816df41af8',
            },
            source: { external_id: '78001234567' },
            message: {
              id: '0371a0ff-b78a-4c7b-8538-a7d547e10692',
              type: 'text',
              text: 'Добрый день! Ваша запись подтверждена.',
              tag: '',
              media: '',
              thumbnail: '',
              file_name: '',
              file_size: 0,
            },
            occurred_at: '2024-09-12T11:36:39.512Z',
          },
          context: {
            trigger: 'message_sent',
            triggers: ['message_sent'],
            kommo: { family: 'chats', account: { amojo_id: '52e591f7-c98f-4255-8495-827210138c81' } },
          },
        },
      ]);
    });

    it('chats-api-outgoing-message-v2 without account config: keyed by the amojo account id', () => {
      const payload = parsePayload(fixture('chats-api-outgoing-message-v2'), 'json');
      const [event] = normalizer.normalize(request(payload));
      expect(event.entityKey).toBe(
        'kommo:52e591f7-c98f-4255-8495-827210138c81:message:0371a0ff-b78a-4c7b-8538-a7d547e10692',
      );
    });

    it('legacy 2016 captured status hook (no account[id], no created_at): keyed by subdomain, timed by last_modified', () => {
      // amoCRM traffic captured verbatim in 2016 (872 bytes, equal to its Content-Length)
      const legacy =
        'leads%5Bstatus%5D%5B0%5D%5Bid%5D=31926520&leads%5Bstatus%5D%5B0%5D%5Bname%5D=Some+test+lead&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=10216994&leads%5Bstatus%5D%5B0%5D%5Bprice%5D=1000&leads%5Bstatus%5D%5B0%5D%5Bresponsible_user_id%5D=938348&leads%5Bstatus%5D%5B0%5D%5Blast_modified%5D=1456820780&leads%5Bstatus%5D%5B0%5D%5Bmodified_user_id%5D=102525&leads%5Bstatus%5D%5B0%5D%5Bcreated_user_id%5D=102525&leads%5Bstatus%5D%5B0%5D%5Bdate_create%5D=1456808154&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=2116&leads%5Bstatus%5D%5B0%5D%5Baccount_id%5D=10216991&leads%5Bstatus%5D%5B0%5D%5Bcustom_fields%5D%5B0%5D%5Bid%5D=1119321&leads%5Bstatus%5D%5B0%5D%5Bcustom_fields%5D%5B0%5D%5Bname%5D=Some+text+field&leads%5Bstatus%5D%5B0%5D%5Bcustom_fields%5D%5B0%5D%5Bvalues%5D%5B0%5D%5Bvalue%5D=some+text&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=10216995&account%5Bsubdomain%5D=test000002';
      expect(legacy).toHaveLength(872);
      const events = normalize(legacy);
      expect(brief(events)).toEqual([
        {
          type: 'lead.status_changed',
          subtype: 'lead_status_changed',
          entity: 'lead',
          id: '31926520',
          key: 'kommo:test000002:lead:31926520',
          at: '2016-03-01T08:26:20.000Z',
        },
      ]);
      expect(events[0].data).toMatchObject({
        account: { id: null, subdomain: 'test000002', url: null },
        lead: {
          name: 'Some test lead',
          price: '1000',
          status_id: '10216994',
          old_status_id: '10216995',
          custom_fields: [{ id: '1119321', name: 'Some text field', values: [{ value: 'some text' }] }],
        },
      });
      // with the account id configured on the source, the key is the same as for modern bodies
      expect(normalize(legacy, { account_id: '10216991' })[0].entityKey).toBe('kommo:10216991:lead:31926520');
    });

    it('legacy 2016 captured company hook: contacts[add] with type=company is company.created', () => {
      const legacy =
        'contacts%5Badd%5D%5B0%5D%5Bid%5D=1110&contacts%5Badd%5D%5B0%5D%5Bname%5D=dsf&contacts%5Badd%5D%5B0%5D%5Bresponsible_user_id%5D=102525&contacts%5Badd%5D%5B0%5D%5Bdate_create%5D=1456824655&contacts%5Badd%5D%5B0%5D%5Blast_modified%5D=1456824655&contacts%5Badd%5D%5B0%5D%5Bcreated_user_id%5D=102525&contacts%5Badd%5D%5B0%5D%5Bmodified_user_id%5D=102525&contacts%5Badd%5D%5B0%5D%5Btype%5D=company&account%5Bsubdomain%5D=test000002';
      const events = normalize(legacy);
      expect(brief(events)).toEqual([
        {
          type: 'company.created',
          subtype: 'company_created',
          entity: 'company',
          id: '1110',
          key: 'kommo:test000002:company:1110',
          at: '2016-03-01T09:30:55.000Z',
        },
      ]);
      expect(events[0].data.company).toMatchObject({ name: 'dsf', type: 'company' });
      expect(events[0].context?.trigger).toBe('company_created');
    });
  });

  describe('leads', () => {
    const lead = { id: '501', name: 'Deal', status_id: '700', pipeline_id: '90', price: '1500.50', updated_at: T1 };

    it.each([
      ['add', 'lead.created', 'lead_created', 'lead_created'],
      ['update', 'lead.updated', 'lead_updated', 'lead_updated'],
      ['delete', 'lead.deleted', 'lead_deleted', 'lead_deleted'],
      ['restore', 'lead.restored', 'lead_restored', 'lead_restored'],
      ['status', 'lead.status_changed', 'lead_status_changed', 'stage_changed'],
      ['responsible', 'lead.responsible_changed', 'lead_responsible_changed', 'lead_responsible_changed'],
    ])('leads[%s] → %s (subtype %s, trigger %s)', (action, type, subtype, trigger) => {
      const events = normalize(body('leads', action, lead));
      expect(brief(events)).toEqual([
        { type, subtype, entity: 'lead', id: '501', key: 'kommo:29013640:lead:501', at: T1_ISO },
      ]);
      expect(events[0].data).toMatchObject({ action, lead: { price: '1500.50', status_id: '700' } });
      expect(events[0].context).toMatchObject({ trigger, triggers: [trigger] });
    });

    it('a move to status 142 also yields deal.won on the same lead key', () => {
      const events = normalize(body('leads', 'status', { ...lead, status_id: '142', old_status_id: '700' }));
      expect(brief(events)).toEqual([
        {
          type: 'lead.status_changed',
          subtype: 'lead_status_changed',
          entity: 'lead',
          id: '501',
          key: 'kommo:29013640:lead:501',
          at: T1_ISO,
        },
        {
          type: 'deal.won',
          subtype: 'deal_won',
          entity: 'lead',
          id: '501',
          key: 'kommo:29013640:lead:501',
          at: T1_ISO,
        },
      ]);
      expect(events[1].data).toMatchObject({ lead: { status_id: '142', old_status_id: '700', price: '1500.50' } });
      expect(events[0].context).toMatchObject({ trigger: 'stage_changed', triggers: ['stage_changed', 'deal_won'] });
      expect(events[1].context).toBeUndefined();
    });

    it('a move to status 143 also yields deal.lost', () => {
      const events = normalize(body('leads', 'status', { ...lead, status_id: '143' }));
      expect(events.map((e) => e.eventType)).toEqual(['lead.status_changed', 'deal.lost']);
    });

    it('status 142 on an update (not a stage move) yields no deal.won', () => {
      const events = normalize(body('leads', 'update', { ...lead, status_id: '142' }));
      expect(events.map((e) => e.eventType)).toEqual(['lead.updated']);
    });

    it('falls back to last_modified, then date_create, for the time of change', () => {
      const [byLastModified] = normalize(body('leads', 'update', { id: '1', last_modified: '1726000000' }));
      expect(byLastModified.occurredAt).toEqual(new Date(1726000000 * 1000));
      const [byDateCreate] = normalize(body('leads', 'add', { id: '1', date_create: '1725000000' }));
      expect(byDateCreate.occurredAt).toEqual(new Date(1725000000 * 1000));
    });

    it('a deletion carrying only the id has no time of change', () => {
      const events = normalize(body('leads', 'delete', { id: '501' }));
      expect(brief(events)).toEqual([
        {
          type: 'lead.deleted',
          subtype: 'lead_deleted',
          entity: 'lead',
          id: '501',
          key: 'kommo:29013640:lead:501',
          at: null,
        },
      ]);
    });

    it('reads the documented bare-id deletion {leads: {delete: id}} and a list of ids', () => {
      expect(normalize(`leads%5Bdelete%5D=77&account%5Bid%5D=1`).map((e) => e.entityKey)).toEqual(['kommo:1:lead:77']);
      expect(
        normalize(`leads%5Bdelete%5D%5B0%5D=77&leads%5Bdelete%5D%5B1%5D=78&account%5Bid%5D=1`).map((e) => e.entityId),
      ).toEqual(['77', '78']);
    });
  });

  describe('several entities and items in one request', () => {
    it('maps every index of every entity/action, the account block first, in a fixed order', () => {
      const raw = phpQuery({
        account: ACCOUNT,
        contacts: { add: [{ id: '10', type: 'contact', updated_at: T1 }] },
        leads: {
          update: [
            { id: '1', updated_at: T1 },
            { id: '2', updated_at: T1 },
          ],
          status: [
            { id: '1', status_id: '142', updated_at: T1 },
            { id: '3', status_id: '55', updated_at: T1 },
          ],
        },
        task: { add: [{ id: '900', updated_at: T1 }] },
      });
      const events = normalize(raw);
      expect(events.map((e) => [e.eventType, e.entityId])).toEqual([
        ['lead.status_changed', '1'],
        ['deal.won', '1'],
        ['lead.status_changed', '3'],
        ['lead.updated', '1'],
        ['lead.updated', '2'],
        ['contact.created', '10'],
        ['task.created', '900'],
      ]);
      expect(events[0].context).toEqual({
        trigger: 'stage_changed',
        triggers: ['stage_changed', 'deal_won', 'lead_updated', 'contact_created', 'task_created'],
        kommo: {
          family: 'crm',
          account: ACCOUNT_DATA,
          changes: [
            'leads[status]:1',
            'leads[status]:3',
            'leads[update]:1',
            'leads[update]:2',
            'contacts[add]:10',
            'task[add]:900',
          ],
        },
      });
      expect(events.slice(1).every((e) => e.context === undefined)).toBe(true);
    });

    it('reads items past index 1000 (which qs keeps as object keys) in index order', () => {
      const raw = `leads%5Bupdate%5D%5B1002%5D%5Bid%5D=b&leads%5Bupdate%5D%5B1001%5D%5Bid%5D=a&account%5Bid%5D=1`;
      expect(normalize(raw).map((e) => e.entityId)).toEqual(['a', 'b']);
    });

    it('lists blocks it does not map in the context and still maps the rest', () => {
      const raw = phpQuery({
        leads: { add: [{ id: '1', updated_at: T1 }], frobnicate: [{ id: '2' }] },
        catalogs: { add: [{ id: '3' }] },
        account: ACCOUNT,
      });
      const events = normalize(raw);
      expect(events.map((e) => e.eventType)).toEqual(['lead.created']);
      expect(events[0].context).toMatchObject({ kommo: { ignored: ['leads[frobnicate]', 'catalogs'] } });
    });
  });

  describe('contacts and companies', () => {
    it.each([
      ['add', 'created'],
      ['update', 'updated'],
      ['delete', 'deleted'],
      ['restore', 'restored'],
      ['responsible', 'responsible_changed'],
    ])('contacts[%s] routes on type: contact.%s and company.%s', (action, verb) => {
      const contact = normalize(body('contacts', action, { id: '11', type: 'contact', updated_at: T1 }));
      const company = normalize(body('contacts', action, { id: '12', type: 'company', updated_at: T1 }));
      expect(brief([...contact, ...company])).toEqual([
        {
          type: `contact.${verb}`,
          subtype: `contact_${verb}`,
          entity: 'contact',
          id: '11',
          key: 'kommo:29013640:contact:11',
          at: T1_ISO,
        },
        {
          type: `company.${verb}`,
          subtype: `company_${verb}`,
          entity: 'company',
          id: '12',
          key: 'kommo:29013640:company:12',
          at: T1_ISO,
        },
      ]);
      expect(company[0].data).toHaveProperty('company.id', '12');
    });

    it('contacts without type are contacts; companies[…] are companies', () => {
      expect(normalize(body('contacts', 'update', { id: '11', updated_at: T1 }))[0].eventType).toBe('contact.updated');
      const events = normalize(body('companies', 'update', { id: '12', updated_at: T1 }));
      expect(brief(events)).toEqual([
        {
          type: 'company.updated',
          subtype: 'company_updated',
          entity: 'company',
          id: '12',
          key: 'kommo:29013640:company:12',
          at: T1_ISO,
        },
      ]);
    });
  });

  describe('customers', () => {
    it.each([
      ['add', 'customer.created'],
      ['update', 'customer.updated'],
      ['delete', 'customer.deleted'],
      ['responsible', 'customer.responsible_changed'],
    ])('customers[%s] → %s', (action, type) => {
      const events = normalize(body('customers', action, { id: '31', next_price: '2500', updated_at: T1 }));
      expect(brief(events)).toEqual([
        {
          type,
          subtype: type.replace('.', '_'),
          entity: 'customer',
          id: '31',
          key: 'kommo:29013640:customer:31',
          at: T1_ISO,
        },
      ]);
      expect(events[0].data).toHaveProperty('customer.next_price', '2500');
    });
  });

  describe('tasks (singular task[…])', () => {
    const task = { id: '41', element_id: '501', element_type: '2', task_type: '1', text: 'Call back', updated_at: T1 };

    it.each([
      ['add', 'task.created'],
      ['update', 'task.updated'],
      ['delete', 'task.deleted'],
      ['responsible', 'task.responsible_changed'],
    ])('task[%s] → %s', (action, type) => {
      const events = normalize(body('task', action, { ...task, status: '0' }));
      expect(brief(events)).toEqual([
        { type, subtype: type.replace('.', '_'), entity: 'task', id: '41', key: 'kommo:29013640:task:41', at: T1_ISO },
      ]);
      expect(events[0].context).toMatchObject({ trigger: type.replace('.', '_') });
    });

    it('an update that closes the task (status=1, action_close=1) also yields task.completed', () => {
      const events = normalize(
        body('task', 'update', { ...task, status: '1', action_close: '1', result: { id: '7', text: 'Done' } }),
      );
      expect(brief(events)).toEqual([
        {
          type: 'task.updated',
          subtype: 'task_updated',
          entity: 'task',
          id: '41',
          key: 'kommo:29013640:task:41',
          at: T1_ISO,
        },
        {
          type: 'task.completed',
          subtype: 'task_completed',
          entity: 'task',
          id: '41',
          key: 'kommo:29013640:task:41',
          at: T1_ISO,
        },
      ]);
      expect(events[1].data).toMatchObject({ task: { status: '1', result: { id: '7', text: 'Done' } } });
    });

    it('the second hook of a completion (the result, action_close=0) is not completed again', () => {
      const events = normalize(body('task', 'update', { ...task, status: '1', action_close: '0' }));
      expect(events.map((e) => e.eventType)).toEqual(['task.updated']);
    });

    it('without action_close (older accounts) status=1 means completed', () => {
      const events = normalize(body('task', 'update', { ...task, status: '1' }));
      expect(events.map((e) => e.eventType)).toEqual(['task.updated', 'task.completed']);
    });

    it('reads the documented doubly indexed task[update][0][0] and its "Y-m-d H:i:s" times (as UTC)', () => {
      const raw = phpQuery({
        task: {
          update: [
            {
              0: {
                id: '11122233',
                element_id: '33322211',
                element_type: '2',
                date_create: '2017-07-20 15:00:00',
                status: '1',
                last_modified: '2017-07-21 19:00:00',
                complete_till: '2017-07-22 23:59:00',
                action_close: '1',
              },
            },
          ],
        },
        account: { subdomain: 'test' },
      });
      const events = normalize(raw);
      expect(brief(events)).toEqual([
        {
          type: 'task.updated',
          subtype: 'task_updated',
          entity: 'task',
          id: '11122233',
          key: 'kommo:test:task:11122233',
          at: '2017-07-21T19:00:00.000Z',
        },
        {
          type: 'task.completed',
          subtype: 'task_completed',
          entity: 'task',
          id: '11122233',
          key: 'kommo:test:task:11122233',
          at: '2017-07-21T19:00:00.000Z',
        },
      ]);
    });
  });

  describe('talks', () => {
    it.each([
      ['add', 'talk.created'],
      ['update', 'talk.updated'],
    ])('talk[%s] → %s, keyed by talk_id', (action, type) => {
      const talk = { talk_id: '100', chat_id: 'c-1', contact_id: '9', origin: 'waba', is_read: '0', updated_at: T1 };
      const events = normalize(body('talk', action, talk));
      expect(brief(events)).toEqual([
        {
          type,
          subtype: type.replace('.', '_'),
          entity: 'talk',
          id: '100',
          key: 'kommo:29013640:talk:100',
          at: T1_ISO,
        },
      ]);
      expect(events[0].data).toMatchObject({ talk: { origin: 'waba', chat_id: 'c-1' } });
    });
  });

  describe('notes', () => {
    const note = (extra: Record<string, unknown>) => ({
      note: {
        id: '6001',
        element_id: '501',
        element_type: '2',
        note_type: '4',
        text: 'Hello',
        date_create: '2020-05-10 12:00:00',
        timestamp_x: '2020-05-10 12:00:00',
        created_at: '1589112000',
        updated_at: '1589112000',
        ...extra,
      },
    });

    it('leads[note][0][note][…] is note.created on the note, its card as parent', () => {
      const events = normalize(body('leads', 'note', note({})));
      expect(brief(events)).toEqual([
        {
          type: 'note.created',
          subtype: 'note_created',
          entity: 'note',
          id: '6001',
          key: 'kommo:29013640:note:6001',
          at: '2020-05-10T12:00:00.000Z',
        },
      ]);
      expect(events[0].data).toMatchObject({
        action: 'note',
        parent: { type: 'lead', id: '501' },
        note: { text: 'Hello', note_type: '4' },
      });
    });

    it.each([
      ['10', 'call.incoming'],
      ['11', 'call.outgoing'],
      ['call_in', 'call.incoming'],
      ['call_out', 'call.outgoing'],
    ])('a call note (note_type %s) is %s', (noteType, type) => {
      const events = normalize(body('leads', 'note', note({ note_type: noteType })));
      expect(brief(events)).toEqual([
        {
          type,
          subtype: type.replace('.', '_'),
          entity: 'note',
          id: '6001',
          key: 'kommo:29013640:note:6001',
          at: '2020-05-10T12:00:00.000Z',
        },
      ]);
    });

    it.each([
      ['contacts', '1', 'contact'],
      ['contacts', '3', 'company'],
      ['companies', '3', 'company'],
      ['customers', '12', 'customer'],
    ])('%s[note] with element_type %s belongs to a %s', (entity, elementType, parent) => {
      const [event] = normalize(body(entity, 'note', note({ element_type: elementType })));
      expect(event.eventType).toBe('note.created');
      expect(event.data.parent).toEqual({ type: parent, id: '501' });
    });

    it('a note with only its "Y-m-d H:i:s" times is timed by timestamp_x (as UTC)', () => {
      const [event] = normalize(
        body('leads', 'note', { note: { id: '6002', element_id: '1', timestamp_x: '2020-05-10 12:30:00' } }),
      );
      expect(event.occurredAt).toEqual(new Date('2020-05-10T12:30:00.000Z'));
    });
  });

  describe('unsorted', () => {
    const uid = '40789acb990dbb9754dc234e18d2325470612b2284880504d78f258d8f77';

    it.each([
      ['add', {}, 'unsorted.created'],
      ['update', {}, 'unsorted.updated'],
      [
        'delete',
        { action: 'accept', accept_result: { leads: ['2132111'], contacts: ['3454532'] } },
        'unsorted.accepted',
      ],
      ['delete', { action: 'decline', decline_result: { leads: ['2132111'] } }, 'unsorted.declined'],
      ['delete', {}, 'unsorted.deleted'],
    ])('unsorted[%s] %j → %s, keyed by uid', (action, extra, type) => {
      const item = { uid, category: 'forms', pipeline_id: '142141', created_at: '124242341', ...extra };
      const events = normalize(body('unsorted', action, item));
      expect(brief(events)).toEqual([
        {
          type,
          subtype: type.replace('.', '_'),
          entity: 'unsorted',
          id: uid,
          key: `kommo:29013640:unsorted:${uid}`,
          at: null,
        },
      ]);
      expect(events[0].data).toMatchObject({ unsorted: { category: 'forms', ...extra } });
    });
  });

  describe('chat messages', () => {
    const message = { id: 'm-1', chat_id: 'c-1', text: 'Hi', created_at: T1, entity_type: 'lead', entity_id: '501' };

    it('message[add] of type outgoing is message.sent', () => {
      const events = normalize(body('message', 'add', { ...message, type: 'outgoing' }));
      expect(brief(events)).toEqual([
        {
          type: 'message.sent',
          subtype: 'message_sent',
          entity: 'message',
          id: 'm-1',
          key: 'kommo:29013640:message:m-1',
          at: T1_ISO,
        },
      ]);
      expect(events[0].context).toMatchObject({ trigger: 'message_sent' });
    });

    it('message[add] without a type (the documented example) is message.received, with its attachment', () => {
      const events = normalize(
        body('message', 'add', { ...message, attachment: { type: 'picture', link: 'https://amojo.example/a.gif' } }),
      );
      expect(events.map((e) => e.eventType)).toEqual(['message.received']);
      expect(events[0].data).toMatchObject({ message: { attachment: { type: 'picture' } } });
      expect(events[0].context).toMatchObject({ trigger: 'message_received' });
    });

    it('Chats API reaction hooks are message.reaction_added / _removed on the reacted message', () => {
      const hook = (type: string) => ({
        account_id: 'amojo-1',
        time: 1637087558,
        action: {
          reaction: {
            message: { id: 'msg-9' },
            user: { id: 'u-1' },
            conversation: { id: 'conv-1' },
            type,
            ...(type === 'react' ? { emoji: '😍' } : {}),
          },
        },
      });
      const added = normalizer.normalize(request(hook('react'), { account_id: '7' }));
      const removed = normalizer.normalize(request(hook('unreact'), { account_id: '7' }));
      expect(brief([...added, ...removed])).toEqual([
        {
          type: 'message.reaction_added',
          subtype: 'message_reaction_added',
          entity: 'message',
          id: 'msg-9',
          key: 'kommo:7:message:msg-9',
          at: '2021-11-16T18:32:38.000Z',
        },
        {
          type: 'message.reaction_removed',
          subtype: 'message_reaction_removed',
          entity: 'message',
          id: 'msg-9',
          key: 'kommo:7:message:msg-9',
          at: '2021-11-16T18:32:38.000Z',
        },
      ]);
      expect(added[0].data).toMatchObject({ emoji: '😍', user: { id: 'u-1' } });
    });

    it('Chats API typing hooks are chat.typing on the conversation', () => {
      const hook = {
        account_id: 'amojo-1',
        time: 1637087558,
        action: { typing: { user: { id: 'u-1' }, conversation: { id: 'conv-1' }, expired_at: 1637087563 } },
      };
      const events = normalizer.normalize(request(hook));
      expect(brief(events)).toEqual([
        {
          type: 'chat.typing',
          subtype: 'chat_typing',
          entity: 'chat',
          id: 'conv-1',
          key: 'kommo:amojo-1:chat:conv-1',
          at: '2021-11-16T18:32:38.000Z',
        },
      ]);
      expect(events[0].data.expires_at).toBe('2021-11-16T18:32:43.000Z');
    });

    it('refuses deprecated Chats API v1 hooks with a readable error', () => {
      const v1 = { receiver: 'r', conversation_id: 'c', msec_timestamp: 1596470952116, type: 'text', text: 'x' };
      expect(() => normalizer.normalize(request(v1))).toThrow(/v1 hooks are not supported/);
    });
  });

  describe('form encoding', () => {
    it('decodes +, %0A, %26, %3D, %2B, %25 and Cyrillic exactly, in keys and values', () => {
      const raw =
        'leads%5Bnote%5D%5B0%5D%5Bnote%5D%5Bid%5D=77&leads%5Bnote%5D%5B0%5D%5Bnote%5D%5Belement_id%5D=5' +
        '&leads%5Bnote%5D%5B0%5D%5Bnote%5D%5Btext%5D=' +
        '%D0%9F%D0%BE%D0%B7%D0%B2%D0%BE%D0%BD%D0%B8%D1%82%D1%8C+%D0%B7%D0%B0%D0%B2%D1%82%D1%80%D0%B0%0A' +
        'Tom+%26+Jerry%3A+a%3Db%2C+%2B7+%28916%29%2C+100%25' +
        '&account%5Bsubdomain%5D=examplecorp';
      const [event] = normalize(raw);
      expect(event.data.note).toMatchObject({ text: 'Позвонить завтра\nTom & Jerry: a=b, +7 (916), 100%' });
    });

    it('reads literal brackets as well as percent-encoded ones', () => {
      const [event] = normalize('leads[add][0][id]=5&leads[add][0][name]=A+B&account[id]=1');
      expect(event).toMatchObject({
        eventType: 'lead.created',
        entityKey: 'kommo:1:lead:5',
        data: { lead: { name: 'A B' } },
      });
    });

    it('turns numbers of a JSON relay into strings: ids and money stay strings', () => {
      const payload = {
        leads: { status: [{ id: 501, price: 1500.5, status_id: 142, updated_at: 1726139530 }] },
        account: { id: 1 },
      };
      const events = normalizer.normalize(request(payload));
      expect(events[0]).toMatchObject({ entityId: '501', entityKey: 'kommo:1:lead:501' });
      expect(events[0].data.lead).toEqual({ id: '501', price: '1500.5', status_id: '142', updated_at: '1726139530' });
      expect(events.map((e) => e.eventType)).toEqual(['lead.status_changed', 'deal.won']);
    });
  });

  describe('bodies that lack what is needed', () => {
    it('an item without its id', () => {
      expect(() => normalize(body('leads', 'status', { name: 'no id', status_id: '142' }))).toThrow(
        'leads[status][0][id] is missing: a Kommo item needs its id',
      );
      expect(() => normalize(body('talk', 'add', { chat_id: 'c' }))).toThrow('talk[add][0][talk_id] is missing');
      expect(() => normalize(body('leads', 'note', { note: { text: 'x' } }))).toThrow(
        'leads[note][0][note][id] is missing',
      );
    });

    it('a body with no Kommo entity at all', () => {
      expect(() => normalize('foo=bar&baz=1')).toThrow(/not a Kommo webhook.*got foo, baz/);
      expect(() => normalizer.normalize(request({}))).toThrow(/not a Kommo webhook/);
    });

    it('a body whose entities Hookhub does not map', () => {
      expect(() => normalize(phpQuery({ leads: { frobnicate: [{ id: '1' }] }, account: ACCOUNT }))).toThrow(
        /no Kommo event Hookhub maps in the body \(blocks: leads\[frobnicate\]\)/,
      );
    });

    it('a body without any account, on a source that names none', () => {
      expect(() => normalize('leads%5Badd%5D%5B0%5D%5Bid%5D=1')).toThrow(/no Kommo account/);
      expect(normalize('leads%5Badd%5D%5B0%5D%5Bid%5D=1', { subdomain: 'acme' })[0].entityKey).toBe(
        'kommo:acme:lead:1',
      );
    });

    it("a body for another account than the source's", () => {
      expect(() => normalize(fixture('lead-status-change'), { account_id: '31257294' })).toThrow(
        'the body is for Kommo account 29013640, but this source is for account 31257294',
      );
      expect(() => normalize(fixture('lead-status-change'), { subdomain: 'othercorp' })).toThrow(
        /subdomain "examplecorp", but this source is for "othercorp"/,
      );
      expect(normalize(fixture('lead-status-change'), { account_id: 29013640, subdomain: 'ExampleCorp' })).toHaveLength(
        1,
      );
    });

    it('a Chats API message hook without the message id', () => {
      const payload = { account_id: 'a', time: 1, message: { conversation: { id: 'c' }, message: { type: 'text' } } };
      expect(() => normalizer.normalize(request(payload))).toThrow('message[message][id] is missing');
    });
  });

  describe('dedupKey', () => {
    const key = (raw: string | Buffer, config?: SourceConfig) => normalizer.dedupKey(fromForm(raw, config));

    it('names the account, every change and its time, plus a content hash', () => {
      expect(key(fixture('lead-status-change'))).toMatch(
        /^kommo:29013640:leads\.status:23802129@1726139530:[0-9a-f]{16}$/,
      );
    });

    it('is the same for a retry of the same body, whatever the parameter order', () => {
      const lead = { id: '501', status_id: '55', updated_at: T1 };
      const last = phpQuery({ leads: { status: [lead] }, account: ACCOUNT });
      const first = phpQuery({ account: ACCOUNT, leads: { status: [lead] } });
      expect(key(last)).toBe(key(last));
      expect(key(first)).toBe(key(last));
    });

    it('differs for a new change of the same lead (new time, or a second move within the same second)', () => {
      const base = body('leads', 'status', { id: '501', status_id: '55', updated_at: T1 });
      const later = body('leads', 'status', { id: '501', status_id: '56', updated_at: '1726139531' });
      const sameSecond = body('leads', 'status', { id: '501', status_id: '57', updated_at: T1 });
      expect(new Set([key(base), key(later), key(sameSecond)]).size).toBe(3);
    });

    it('differs between the update and the status hooks of the same change', () => {
      const item = { id: '501', status_id: '55', updated_at: T1 };
      expect(key(body('leads', 'update', item))).not.toBe(key(body('leads', 'status', item)));
    });

    it('hashes long lists of changes', () => {
      const items = Array.from({ length: 30 }, (_, i) => ({ id: String(1000 + i), updated_at: T1 }));
      expect(key(phpQuery({ leads: { update: items }, account: ACCOUNT }))).toMatch(
        /^kommo:29013640:30-changes:[0-9a-f]{64}$/,
      );
    });

    it('is the amojo message id for a Chats API message hook', () => {
      const payload = parsePayload(fixture('chats-api-outgoing-message-v2'), 'json');
      expect(normalizer.dedupKey(request(payload))).toBe(
        'kommo-chats:52e591f7-c98f-4255-8495-827210138c81:message:0371a0ff-b78a-4c7b-8538-a7d547e10692',
      );
    });

    it('is null (the raw-body hash applies) for bodies it cannot read', () => {
      expect(key('foo=bar')).toBeNull();
      expect(key(body('leads', 'status', { name: 'no id' }))).toBeNull();
      expect(normalizer.dedupKey(request({ account_id: 'a', action: { typing: {} } }))).toBeNull();
    });
  });

  describe('ingestPath', () => {
    const source = (scheme: string, config: SourceConfig) =>
      ({ id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i', provider: 'kommo', scheme, config }) as Source;

    it('is the provider route for a source that names its account', () => {
      expect(kommoIngestPath(source('url-token', { account_id: '29013640' }))).toBe(
        '/api/v1/integrations/kommo/webhook',
      );
      expect(kommoIngestPath(source('url-token', { subdomain: 'examplecorp' }))).toBe(
        '/api/v1/integrations/kommo/webhook',
      );
    });

    it('is /ingest/{source_id} when the route could not find the source: no account, or a Chats API source', () => {
      expect(kommoIngestPath(source('url-token', {}))).toBe('/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i');
      expect(kommoIngestPath(source('kommo-chats', { account_id: '29013640' }))).toBe(
        '/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i',
      );
    });
  });
});
