// The SDK's comms resource against the reference server over real HTTP: a send with its segments,
// a bulk send with a bad recipient, the status read back, a client's log walked with `for await`,
// and the refusals (OPTED_OUT, BAA_REQUIRED) as typed errors carrying their codes.
import { CareOS, ConflictError, UnprocessableEntityError } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';
import { sdkStaff } from './helpers/staff.js';

describe('SDK comms against the reference server', () => {
  let db: Database;
  let server: TestApp;
  let staff: CareOS;
  let closeClients: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    db = await openDatabase({});
    server = await startApp({ db, env: testEnv({ keys: generateTestKeys() }) });
    ({ staff, close: closeClients } = await sdkStaff(server));
  });
  afterAll(async () => {
    await closeClients?.();
    await server?.close();
    await db?.close();
  });

  it('sends, reads the status, walks the client’s log and reports bulk results', async () => {
    const phone = uniquePhone();
    const { contact } = await staff.contacts.create({ name: 'Ada Lovelace', phone, email: 'ada@example.org' });
    const sms = await staff.comms.send({ client_id: contact.id, type: 'sms', body: 'Please call us back.' });
    expect(sms).toMatchObject({ ok: true, status: 'queued', encoding: 'GSM-7', segments: 1 });
    const mail = await staff.comms.send({ client_id: contact.id, type: 'email', subject: 'Forms', body: 'Your forms are ready.' });
    await server.app.flush();
    expect((await staff.comms.get(sms.id)).communication).toMatchObject({ status: 'sent', type: 'sms', provider: 'console' });

    const seen: string[] = [];
    for await (const c of staff.comms.list({ client_id: contact.id, limit: 1 })) seen.push(c.id);
    expect(seen.slice(0, 2)).toEqual([mail.id, sms.id]);

    const bulk = await staff.comms.sendBulk({ type: 'sms', body: 'Closed Monday.', recipients: [{ client_id: contact.id }, { client_id: 'user_nobody' }] });
    expect(bulk.results.map((r) => r.status)).toEqual(['queued', 'invalid']);
  });

  it('raises typed errors with the codes for an opted-out number and PHI without a BAA', async () => {
    const phone = uniquePhone();
    const { contact } = await staff.contacts.create({ name: 'Grace Hopper', phone });
    const phi = staff.comms.send({ client_id: contact.id, type: 'sms', body: 'Your lab results are in', contains_phi: true });
    await expect(phi).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(phi).rejects.toMatchObject({ code: 'BAA_REQUIRED' });
    await server.app.services.optOuts.optOut(phone, 'inbound_stop');
    const stopped = staff.comms.send({ client_id: contact.id, type: 'sms', body: 'Hello' });
    await expect(stopped).rejects.toBeInstanceOf(ConflictError);
    await expect(stopped).rejects.toMatchObject({ code: 'OPTED_OUT' });
  });
});
