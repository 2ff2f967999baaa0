import { afterEach, describe, expect, it } from 'vitest';
import { CareOS, CareOSError, Page } from '../src/index.js';
import { fastRetries, partner } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const payment = (n: number) => ({
  id: `pay_${n}`,
  lead_id: `lead_${n}`,
  partner: 'businessos',
  amount: 15,
  currency: 'USD',
  status: 'pending',
  due_date: '2025-02-07T12:00:00Z',
  paid_at: null,
  payout_id: null,
  created_at: '2025-01-08T12:00:00Z',
});

/** Serves `total` payments in pages of `limit`, with the cursor being the next offset. */
async function pagedServer(total: number, options: { failOnce?: string } = {}) {
  let failed = false;
  return startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    if (options.failOnce === url.searchParams.get('cursor') && !failed) {
      failed = true;
      return json(res, 503, { error: 'Service unavailable', request_id: 'r' });
    }
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => payment(offset + i));
    const next = offset + limit < total ? String(offset + limit) : null;
    json(res, 200, { payments: items, next_cursor: next }, { 'x-request-id': `req_${offset}` });
  });
}

let server: TestServer;
let client: CareOS;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

describe('PagePromise', () => {
  it('await gives the first page with its items and next_cursor', async () => {
    server = await pagedServer(5);
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const page = await client.partner.payments.list({ limit: 2 });
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((p) => p.id)).toEqual(['pay_0', 'pay_1']);
    expect(page.next_cursor).toBe('2');
    expect(page.hasNextPage()).toBe(true);
    expect(page.body).toMatchObject({ next_cursor: '2' });
    expect(server.requests).toHaveLength(1);
  });

  it('for await walks every item across pages, keeping the query', async () => {
    server = await pagedServer(7);
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const ids: string[] = [];
    for await (const p of client.partner.payments.list({ limit: 3, status: 'pending' })) ids.push(p.id);
    expect(ids).toEqual(['pay_0', 'pay_1', 'pay_2', 'pay_3', 'pay_4', 'pay_5', 'pay_6']);
    const queries = server.requests.map((r) => Object.fromEntries(new URL(r.url, 'http://x').searchParams));
    expect(queries).toEqual([
      { limit: '3', status: 'pending' },
      { limit: '3', status: 'pending', cursor: '3' },
      { limit: '3', status: 'pending', cursor: '6' },
    ]);
  });

  it('getNextPage and iterPages move page by page; the last page says so', async () => {
    server = await pagedServer(4);
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const first = await client.partner.payments.list({ limit: 2 });
    const second = await first.getNextPage();
    expect(second.data.map((p) => p.id)).toEqual(['pay_2', 'pay_3']);
    expect(second.hasNextPage()).toBe(false);
    expect(() => second.getNextPage()).toThrow(CareOSError);
    const sizes: number[] = [];
    for await (const page of first.iterPages()) sizes.push(page.data.length);
    expect(sizes).toEqual([2, 2]);
  });

  it('an empty list iterates nothing', async () => {
    server = await pagedServer(0);
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const seen: unknown[] = [];
    for await (const p of client.partner.payments.list()) seen.push(p);
    expect(seen).toEqual([]);
  });

  it('each page request gets its own retries', async () => {
    server = await pagedServer(4, { failOnce: '2' });
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const ids: string[] = [];
    for await (const p of client.partner.payments.list({ limit: 2 })) ids.push(p.id);
    expect(ids).toHaveLength(4);
    expect(server.requests).toHaveLength(2 + 1);
  });

  it('stops instead of looping when the server repeats a cursor', async () => {
    server = await startServer((_req, res) => json(res, 200, { payments: [payment(1)], next_cursor: 'same' }));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const ids: string[] = [];
    for await (const p of client.partner.payments.list()) ids.push(p.id);
    expect(ids).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('admin lists page the same way', async () => {
    server = await startServer((req, res) => {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      if (req.url.startsWith('/admin/messages')) return json(res, 200, { messages: cursor ? [{ id: 'msg_2' }] : [{ id: 'msg_1' }], next_cursor: cursor ? null : 'c1' });
      if (req.url.startsWith('/admin/payouts')) return json(res, 200, { payouts: [{ id: 'po_1' }], next_cursor: null });
      json(res, 200, { leads: [{ id: 'lead_1' }], next_cursor: null });
    });
    client = new CareOS({ ...fastRetries, staffToken: 't', baseURL: server.url });
    const messages: string[] = [];
    for await (const m of client.admin.messages.list({ lead_id: 'lead_1' })) messages.push(m.id);
    expect(messages).toEqual(['msg_1', 'msg_2']);
    expect((await client.admin.payouts.list()).data).toHaveLength(1);
    expect((await client.admin.leads.list({ partner: 'businessos' })).data[0]?.id).toBe('lead_1');
  });

  it('withResponse exposes status, headers and request id of the first page', async () => {
    server = await pagedServer(1);
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const { data, response } = await client.partner.payments.list().withResponse();
    expect(data.data).toHaveLength(1);
    expect(response.status).toBe(200);
    expect(response.requestId).toBe('req_0');
  });

  it('a list response without its items array is an error', async () => {
    server = await startServer((_req, res) => json(res, 200, { next_cursor: null }));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    await expect(client.partner.payments.list()).rejects.toThrow(/has no "payments" array/);
  });
});
