import { afterEach, describe, expect, it } from 'vitest';
import { APIError, CareOS, RequestValidationError } from '../src/index.js';
import { fastRetries } from './helpers/fixtures.js';
import { errorBody, json, startServer, type RecordedRequest, type TestServer } from './helpers/server.js';

const contact = (n: number) => ({
  id: `user_${n}`,
  name: `Person ${n}`,
  phone: `+1415555010${n}`,
  email: null,
  notes: null,
  language: 'en',
  source: 'manual',
  automation_paused: false,
  created_at: '2026-02-12T10:00:00Z',
  updated_at: '2026-02-12T10:00:00Z',
});

let server: TestServer;
let client: CareOS;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

/** Answers pages of contacts by numeric cursor, a 409 for the phone `+14155550999`, and one contact otherwise. */
async function contactsServer() {
  server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/contacts') {
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      return json(res, 200, { contacts: [contact(cursor), contact(cursor + 1)], next_cursor: cursor < 2 ? String(cursor + 2) : null });
    }
    if (req.method === 'POST' && JSON.parse(req.body.toString()).phone === '+14155550999') {
      return json(res, 409, errorBody('A contact with this phone number already exists', 'CONTACT_EXISTS', { message: 'The phone belongs to contact user_7; update that contact instead' }));
    }
    if (req.method === 'POST') return json(res, 201, { contact: contact(5), welcome_message_id: 'msg_1' });
    if (req.method === 'DELETE') return json(res, 200, { id: 'user_5', deleted: true });
    json(res, 200, { contact: contact(5) });
  });
  client = new CareOS({ ...fastRetries, baseURL: server.url, staffToken: 'staff-tok' });
}

const sent = () => server.requests;
const body = (r: RecordedRequest | undefined) => JSON.parse(r?.body.toString() ?? '{}') as Record<string, unknown>;

describe('contacts', () => {
  it('each method sends its route with the staff token', async () => {
    await contactsServer();
    const created = await client.contacts.create({ name: 'Person 5', phone: '(415) 555-0105' });
    expect(created).toMatchObject({ contact: { id: 'user_5' }, welcome_message_id: 'msg_1' });
    expect((await client.contacts.retrieve('user_5')).contact.id).toBe('user_5');
    await client.contacts.update('user_5', { notes: null, automation_paused: true });
    expect(await client.contacts.delete('user_5')).toEqual({ id: 'user_5', deleted: true });
    expect(sent().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /contacts', 'GET /contacts/user_5', 'PATCH /contacts/user_5', 'DELETE /contacts/user_5']);
    expect(body(sent()[0])).toEqual({ name: 'Person 5', phone: '(415) 555-0105', language: 'en' });
    expect(body(sent()[2])).toEqual({ notes: null, automation_paused: true });
    expect(sent().every((r) => r.headers.authorization === 'Bearer staff-tok')).toBe(true);
    // POSTs carry an idempotency key, so a retried create cannot make a second contact.
    expect(sent()[0]!.headers['idempotency-key']).toBeTruthy();
  });

  it('lists as an async iterator over every page, passing the search filters', async () => {
    await contactsServer();
    const ids: string[] = [];
    for await (const c of client.contacts.list({ name: 'person', source: 'manual', limit: 2 })) ids.push(c.id);
    expect(ids).toEqual(['user_0', 'user_1', 'user_2', 'user_3']);
    expect(sent().map((r) => r.url)).toEqual(['/contacts?limit=2&name=person&source=manual', '/contacts?limit=2&cursor=2&name=person&source=manual']);
  });

  it('refuses a body without phone or email before sending, and surfaces CONTACT_EXISTS', async () => {
    await contactsServer();
    await expect(client.contacts.create({ name: 'Nobody' })).rejects.toBeInstanceOf(RequestValidationError);
    const error = await client.contacts.create({ name: 'Taken', phone: '+14155550999' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 409, code: 'CONTACT_EXISTS' });
    expect((error as APIError).message).toContain('user_7');
    expect(sent()).toHaveLength(1);
  });
});
