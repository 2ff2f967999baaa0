import { PayoutList, ProcessPaymentsResponse } from '@careos/contract';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { count, query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';

const keys = generateTestKeys();
const DAY = 24 * 3600 * 1000;
const partner = (platform: string): PartnerFixture => ({ platform, apiKey: `${platform}_test_Kd8Lq2Zx5Mv9Pn3Bc7Hy1Wt4`, salt: `${platform}-salt-0001` });
const SMALL = partner('small');
const LEDGER = partner('ledgerco');
const RACE = partner('raceco');
const STRIPED = partner('stripeco');
const NODEST = partner('nodestco');
const ADMIN = { CAREOS_ADMIN_EMAIL: 'ops@careos.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };

const stripe = setupServer();
type StripeCall = { headers: Headers; form: URLSearchParams };
let stripeCalls: StripeCall[] = [];
const stripeReplies = (reply: (call: StripeCall) => Response) =>
  stripe.use(
    http.post('https://api.stripe.com/v1/transfers', async ({ request }) => {
      const call = { headers: request.headers, form: new URLSearchParams(await request.text()) };
      stripeCalls.push(call);
      return reply(call);
    }),
  );

beforeAll(() => stripe.listen({ onUnhandledFrame: 'bypass' }));
afterEach(() => {
  stripe.resetHandlers();
  stripeCalls = [];
});
afterAll(() => stripe.close());

describe.each(backendNames())('partner payment processing (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let ledger: TestApp;
  let striped: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    const partners = [SMALL, LEDGER, RACE, STRIPED, NODEST];
    ledger = await startApp({ db, env: testEnv({ keys, partners, extra: { ...ADMIN, LEDGERCO_MIN_PAYOUT: '20' } }) });
    striped = await startApp({
      db,
      env: testEnv({ keys, partners, extra: { ...ADMIN, STRIPE_SECRET_KEY: 'sk_test_51Hx', STRIPECO_PAYOUT_DESTINATION: 'acct_1StripeCo', LEDGERCO_MIN_PAYOUT: '20' } }),
    });
  });
  afterAll(async () => {
    await ledger?.close();
    await striped?.close();
    await backend?.dispose();
  });

  const leads = async (server: TestApp, p: PartnerFixture, amounts: number[]) => {
    for (const amount of amounts) {
      const res = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, partner: p }, { lead_value_agreed: amount }), headers: partnerHeaders(p) });
      expect(res.status).toBe(200);
    }
  };
  const later = () => new Date(Date.now() + 31 * DAY);

  it('skips a partner whose total due is below its minimum, and pays nothing not yet due', async () => {
    await leads(ledger, SMALL, [10, 12.5]);
    const notDue = await ledger.app.services.payments.processPayments({ partner: 'small' });
    expect(notDue).toMatchObject({ payouts: [], skipped: [] });
    const result = await ledger.app.services.payments.processPayments({ asOf: later(), partner: 'small' });
    expect(result.payouts).toEqual([]);
    expect(result.skipped).toEqual([
      { partner: 'small', amount: 22.5, payments_count: 2, reason: 'below_minimum', message: expect.stringContaining('25.00 USD') },
    ]);
    expect(await count(db, 'partner_payments', "status = 'pending' and payout_id is null and partner_id = (select id from partners where platform = 'small')")).toBe(2);
  });

  it('pays through the ledger, marks the payments paid, and pays nothing twice', async () => {
    await leads(ledger, LEDGER, [15, 7.25]);
    const result = ProcessPaymentsResponse.parse(await ledger.app.services.payments.processPayments({ asOf: later(), partner: 'ledgerco' }));
    expect(result.skipped).toEqual([]);
    expect(result.payouts).toHaveLength(1);
    const payout = result.payouts[0]!;
    expect(payout).toMatchObject({ partner: 'ledgerco', amount: 22.25, payments_count: 2, provider: 'ledger', status: 'paid', provider_reference: `ledger_${payout.id}` });
    const paid = await query<{ status: string; payout_id: string; paid_at: Date | null }>(db, "select status, payout_id, paid_at from partner_payments where partner_id = (select id from partners where platform = 'ledgerco')");
    expect(paid).toHaveLength(2);
    for (const row of paid) expect(row).toMatchObject({ status: 'paid', payout_id: payout.id, paid_at: expect.anything() });
    const again = await ledger.app.services.payments.processPayments({ asOf: later(), partner: 'ledgerco' });
    expect(again).toMatchObject({ payouts: [], skipped: [] });
    // The partner sees its payments paid.
    const mine = await call(ledger.url, 'GET', '/api/partner/payments?status=paid', { headers: partnerHeaders(LEDGER) });
    expect(mine.body.payments.map((p: { payout_id: string }) => p.payout_id)).toEqual([payout.id, payout.id]);
  });

  it('never pays twice when runs overlap', async () => {
    await leads(ledger, RACE, [30, 30]);
    const service = ledger.app.services.payments;
    const runs = await Promise.all(Array.from({ length: 4 }, () => service.processPayments({ asOf: later(), partner: 'raceco' })));
    const payouts = runs.flatMap((r) => r.payouts);
    expect(payouts).toHaveLength(1);
    expect(payouts[0]!.amount).toBe(60);
    expect(runs.flatMap((r) => r.skipped)).toEqual([]);
    expect(await count(db, 'payouts', "partner_id = (select id from partners where platform = 'raceco')")).toBe(1);
    expect(await count(db, 'partner_payments', "status = 'paid' and payout_id = $1", payouts[0]!.id)).toBe(2);
  });

  it('pays through Stripe with the payout id as Idempotency-Key', async () => {
    await leads(striped, STRIPED, [15, 15]);
    stripeReplies(() => HttpResponse.json({ id: 'tr_1Abc', object: 'transfer' }));
    const result = await striped.app.services.payments.processPayments({ asOf: later(), partner: 'stripeco' });
    expect(result.payouts).toHaveLength(1);
    const payout = result.payouts[0]!;
    expect(payout).toMatchObject({ provider: 'stripe', provider_reference: 'tr_1Abc', amount: 30, status: 'paid' });
    expect(stripeCalls).toHaveLength(1);
    const [sent] = stripeCalls;
    expect(sent!.headers.get('authorization')).toBe('Bearer sk_test_51Hx');
    expect(sent!.headers.get('idempotency-key')).toBe(payout.id);
    expect(sent!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(sent!.form)).toMatchObject({ amount: '3000', currency: 'usd', destination: 'acct_1StripeCo', 'metadata[payout_id]': payout.id });
  });

  it('releases the payments, fails the payout and raises an alert when Stripe refuses; a later run pays', async () => {
    await leads(striped, STRIPED, [25]);
    stripeReplies(() => HttpResponse.json({ error: { message: 'Insufficient funds in Stripe account', type: 'invalid_request_error' } }, { status: 400 }));
    const failed = await striped.app.services.payments.processPayments({ asOf: later(), partner: 'stripeco' });
    expect(failed.payouts).toEqual([]);
    expect(failed.skipped).toEqual([
      { partner: 'stripeco', amount: 25, payments_count: 1, reason: 'provider_failed', message: 'Stripe refused the transfer: Insufficient funds in Stripe account' },
    ]);
    const [payoutRow] = await query<{ id: string; status: string; error: string }>(db, "select id, status, error from payouts where status = 'failed' order by id desc limit 1");
    expect(payoutRow!.status).toBe('failed');
    const alerts = await striped.app.services.alerts.list({ type: 'payout_failed' });
    expect(alerts.some((a) => a.context.payout_id === payoutRow!.id && a.severity === 'critical')).toBe(true);
    expect(await count(db, 'partner_payments', "status = 'pending' and payout_id is null and partner_id = (select id from partners where platform = 'stripeco')")).toBe(1);

    stripe.resetHandlers();
    stripeReplies(() => HttpResponse.json({ id: 'tr_2Def' }));
    const retried = await striped.app.services.payments.processPayments({ asOf: later(), partner: 'stripeco' });
    expect(retried.payouts).toMatchObject([{ amount: 25, provider_reference: 'tr_2Def' }]);
    expect(stripeCalls.at(-1)!.headers.get('idempotency-key')).toBe(retried.payouts[0]!.id);
  });

  it('reports a partner without a payout destination as provider_failed without calling Stripe', async () => {
    await leads(striped, NODEST, [40]);
    stripeReplies(() => HttpResponse.json({ id: 'tr_never' }));
    const result = await striped.app.services.payments.processPayments({ asOf: later(), partner: 'nodestco' });
    expect(result.skipped).toMatchObject([{ reason: 'provider_failed', message: expect.stringContaining('no payout destination') }]);
    expect(stripeCalls).toHaveLength(0);
  });

  it('runs through POST /admin/payments/process and lists payouts for admins', async () => {
    const login = await call(ledger.url, 'POST', '/auth/login', { json: { email: ADMIN.CAREOS_ADMIN_EMAIL, password: ADMIN.CAREOS_ADMIN_PASSWORD } });
    const auth = { authorization: `Bearer ${login.body.access_token}` };
    const res = await call(ledger.url, 'POST', '/admin/payments/process', { json: { as_of: later().toISOString(), partner: 'small' }, headers: auth });
    expect(res.status).toBe(200);
    expect(ProcessPaymentsResponse.parse(res.body).skipped).toMatchObject([{ partner: 'small', reason: 'below_minimum' }]);
    const bad = await call(ledger.url, 'POST', '/admin/payments/process', { json: { as_of: 'next month' }, headers: auth });
    expect(bad.status).toBe(400);
    const list = await call(ledger.url, 'GET', '/admin/payouts?partner=ledgerco', { headers: auth });
    expect(list.status).toBe(200);
    expect(PayoutList.parse(list.body).payouts).toMatchObject([{ partner: 'ledgerco', status: 'paid', amount: 22.25 }]);
  });
});
