// The SDK's messages resource and contacts.resumeAutomation() against the reference server over
// real HTTP: a reply and an inbound message, the conversation walked with `for await`, the admin
// resume, and the refusals as typed errors.
import { CareOS, ConflictError, NotFoundError, PermissionDeniedError } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { sdkStaff } from './helpers/staff.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';

describe('SDK messages against the reference server', () => {
  let db: Database;
  let server: TestApp;
  let admin: CareOS;
  let staff: CareOS;
  let closeClients: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    db = await openDatabase({});
    server = await startApp({ db, env: testEnv({ keys: generateTestKeys() }) });
    ({ admin, staff, close: closeClients } = await sdkStaff(server));
  });
  afterAll(async () => {
    await closeClients?.();
    await server?.close();
    await db?.close();
  });

  it('replies, records an inbound message, walks the conversation, and an admin resumes automation', async () => {
    const { contact, welcome_message_id: welcomeId } = await staff.contacts.create({ name: 'Ada Lovelace', phone: uniquePhone() });
    const inbound = await staff.messages.create({ contact_id: contact.id, direction: 'inbound', body: 'Can we talk tomorrow?' });
    expect(inbound).toMatchObject({ automation_paused: false, message: { direction: 'inbound', status: 'received' } });
    const reply = await staff.messages.create({ contact_id: contact.id, body: 'Of course, at 10?' });
    expect(reply).toMatchObject({ automation_paused: true, message: { direction: 'outbound', kind: 'reply', automated: false, body: 'Of course, at 10?' } });
    await server.app.flush();

    const seen: string[] = [];
    for await (const message of staff.messages.conversation(contact.id, { limit: 1 })) seen.push(message.id);
    expect(seen).toEqual([reply.message.id, inbound.message.id, welcomeId]);
    const page = await staff.messages.list({ contact_id: contact.id, direction: 'outbound', status: 'sent' });
    expect(page.data.map((m) => m.kind)).toEqual(['reply', 'welcome']);

    await expect(staff.contacts.resumeAutomation(contact.id)).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(await admin.contacts.resumeAutomation(contact.id)).toMatchObject({ resumed: true, contact: { automation_paused: false } });
  });

  it('reads the demo conversations: Maria got a reply (automation paused), Arthur waits; seeding again adds none', async () => {
    await server.app.seedDemo();
    await server.app.seedDemo();
    const inbound = (await staff.messages.list({ kind: 'inbound' })).data.filter((m) => m.body !== 'Can we talk tomorrow?');
    expect(inbound.map((m) => m.body).sort()).toEqual(['Hola, ¿pueden venir el jueves por la tarde?', 'Is there parking near the clinic?']);
    const maria = inbound.find((m) => m.body.startsWith('Hola'))!;
    const conversation = (await staff.messages.conversation(maria.user_id!)).data;
    // The demo books Maria after the reply: her automation is paused, so the confirmation was never sent.
    expect(conversation.map((m) => `${m.direction}:${m.kind}:${m.status}`)).toEqual([
      'outbound:booking_confirmation:cancelled',
      expect.stringMatching(/^outbound:reply:/),
      'inbound:inbound:received',
      expect.stringMatching(/^outbound:welcome:/),
    ]);
    expect(conversation[0]).toMatchObject({ automated: true, cancel_reason: 'automation_paused' });
    expect((await staff.contacts.retrieve(maria.user_id!)).contact.automation_paused).toBe(true);
  });

  it('refuses an unknown contact (NotFoundError) and one without a phone (ConflictError NO_PHONE)', async () => {
    await expect(staff.messages.conversation('user_00000000000000000000000000').then((p) => p.data)).rejects.toBeInstanceOf(NotFoundError);
    const { contact } = await staff.contacts.create({ name: 'Mail Only', email: 'sdk.mail.only@example.com' });
    const refused = await staff.messages.create({ contact_id: contact.id, body: 'hello' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ status: 409, code: 'NO_PHONE' });
  });
});
