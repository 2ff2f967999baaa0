import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CareOS } from '@careos/sdk';
import type { Command } from 'commander';
import { CliError } from '../../lib/exit-codes.js';
import { createOutput, keyValues, type Output } from '../../lib/output.js';
import { loadServerPackage } from '../../lib/server-package.js';
import { noun } from '../../lib/nouns.js';

/** Status and code of an API error, or rethrows anything else: the demo shows refusals on purpose. */
function refusal(error: unknown): { status: number; code: string; message: string } {
  const e = error as { status?: number; code?: string; message?: string };
  if (typeof e?.status !== 'number' || typeof e.code !== 'string') throw error;
  return { status: e.status, code: e.code, message: e.message ?? '' };
}

/** Waits until the messages of a contact have left the outbox (they are sent after the request commits). */
async function settledMessages(client: CareOS, contactId: string) {
  for (let i = 0; i < 50; i++) {
    const page = await client.admin.messages.list({ user_id: contactId, limit: 20 });
    if (page.data.length > 0 && page.data.every((m) => m.status !== 'queued')) return page.data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new CliError(`The messages of ${contactId} did not leave the outbox`);
}

/** `careos demo operations`: the care-operations story end to end on a throwaway local server. */
export function register(program: Command): void {
  noun(program, 'demo')
    .command('operations')
    .description('Run the care-operations demo: first admin, staff, contacts and their welcome, low stock, bookings that cannot clash, a staff reply that stops automation, the dashboard')
    .option('--json', 'print a JSON summary instead of the walkthrough')
    .option('--keep', 'keep the temporary data directory')
    .action(async (_options: unknown, command: Command) => {
      // `careos demo` has the same options: whichever command commander gave them to, they count.
      const options = command.optsWithGlobals<{ json?: boolean; keep?: boolean }>();
      const out = createOutput({ json: options.json });
      const { startServer, masterKeyFileFor } = await loadServerPackage('careos demo operations');
      const { CareOS } = await import('@careos/sdk');
      const dataDir = mkdtempSync(join(tmpdir(), 'careos-ops-demo-'));
      const admin = { name: 'Ada Admin', email: 'admin@careops.example', password: randomBytes(12).toString('base64url') };
      const staff = { name: 'Sam Staff', email: 'sam@careops.example', password: randomBytes(12).toString('base64url') };

      step(out, 'Starting the reference server on a temporary, empty embedded database');
      // Only the demo's own settings: never a DATABASE_URL, REDIS_URL or real provider from the shell.
      const server = await startServer({ port: 0, dataDir, logger: false, env: { CAREOS_ENV: 'development' } });
      const anonymous = new CareOS({ baseURL: server.url });
      const ops = new CareOS({ baseURL: server.url, staffEmail: admin.email, staffPassword: admin.password });
      const desk = new CareOS({ baseURL: server.url, staffEmail: staff.email, staffPassword: staff.password });
      try {
        out.line(keyValues(out.color, [['URL', server.url], ['Data', dataDir]]));

        step(out, 'Registering the first admin (allowed once, on an empty development server), then a staff member');
        const first = await anonymous.auth.register({ ...admin, role: 'admin' });
        const again = await anonymous.auth.register({ name: 'Mallory', email: 'mallory@careops.example', password: 'let-me-in-please', role: 'admin' }).catch(refusal);
        const member = await ops.auth.register({ ...staff, role: 'staff' });
        out.line(`  ${out.color.green('✓')} ${first.email} (admin), ${member.email} (staff)`);
        out.line(`  ${out.color.green('✓')} a second anonymous "admin": ${'status' in again ? `${again.status} ${again.code}` : 'created?!'}`);
        if (!('status' in again)) throw new CliError('An anonymous caller became admin on a server that already had one');

        step(out, 'Staff add two contacts: each with a phone gets the welcome SMS, sent after the contact is stored');
        const ana = await desk.contacts.create({ name: 'Ana Souza', phone: '+1 415 555 0132', email: 'ana@example.com' });
        const ben = await desk.contacts.create({ name: 'Ben Okafor', phone: '(212) 555-0187' });
        const welcome = await settledMessages(ops, ana.contact.id);
        out.line(`  ${out.color.green('✓')} ${ana.contact.id} ${ana.contact.name}, ${ben.contact.id} ${ben.contact.name}`);
        out.line(`  welcome to ${welcome[0]!.to_masked} [${welcome[0]!.status}] ${welcome[0]!.body}`);
        const staffDelete = await desk.contacts.delete(ben.contact.id).catch(refusal);
        out.line(`  ${out.color.green('✓')} staff deleting a contact: ${'status' in staffDelete ? `${staffDelete.status} ${staffDelete.code}` : 'deleted?!'} (admin only)`);

        step(out, 'Inventory: 12 boxes of gloves, low at 10; using 3 raises one low-stock alert');
        const gloves = await ops.inventory.create({ name: 'Nitrile gloves (M)', sku: 'GLV-M', unit: 'box', quantity: 12, low_stock_threshold: 10 });
        const afterUse = await ops.inventory.adjust(gloves.id, -3);
        const overdraw = await ops.inventory.adjust(gloves.id, -100).catch(refusal);
        const alerts = [];
        for await (const alert of desk.alerts.list({ type: 'inventory_low', dismissed: 'false' })) alerts.push(alert);
        out.line(`  ${out.color.green('✓')} ${afterUse.quantity} left, low: ${afterUse.low_stock}; taking 100 more: ${'status' in overdraw ? `${overdraw.status} ${overdraw.code}` : 'taken?!'}`);
        out.line(`  ${out.color.green('✓')} ${alerts.length} active low-stock alert: ${alerts[0]?.message ?? 'none'}`);

        step(out, 'Bookings: Ana with Sam tomorrow at 10:00 for an hour; the database refuses a second booking of that hour');
        const tomorrow = new Date(Date.now() + 86_400_000);
        const at = (hour: number) => new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), hour)).toISOString();
        const { booking } = await desk.bookings.create({ contact_id: ana.contact.id, staff_id: member.id, service: 'Initial assessment', starts_at: at(10), duration_minutes: 60 });
        const clash = await desk.bookings.create({ contact_id: ben.contact.id, staff_id: member.id, service: 'Follow-up', starts_at: at(10), duration_minutes: 30 }).catch(refusal);
        const next = await desk.bookings.create({ contact_id: ben.contact.id, staff_id: member.id, service: 'Follow-up', starts_at: at(11), duration_minutes: 30 });
        out.line(`  ${out.color.green('✓')} ${booking.id} ${booking.starts_at} (${booking.time_zone}), confirmation ${booking.confirmation_message_id ?? 'none'}, reminder due ${booking.reminder_due_at ?? 'never'}`);
        out.line(`  ${out.color.green('✓')} the same hour again: ${'status' in clash ? `${clash.status} ${clash.code}, naming ${clash.message.includes(booking.id) ? booking.id : 'another booking'}` : 'booked?!'}`);
        out.line(`  ${out.color.green('✓')} back to back at 11:00: ${next.booking.id}`);
        if (!('status' in clash)) throw new CliError('One staff member was booked twice for the same hour');

        step(out, 'Messages: Ben writes in, Sam replies; from then on no automated message goes to Ben until an admin resumes');
        await desk.messages.create({ contact_id: ben.contact.id, direction: 'inbound', body: 'Can I bring my daughter to the follow-up?' });
        const reply = await desk.messages.create({ contact_id: ben.contact.id, body: 'Of course, see you both at 11.' });
        const paused = await desk.bookings.create({ contact_id: ben.contact.id, staff_id: first.id, service: 'Check-up', starts_at: at(14), duration_minutes: 30 });
        const conversation = (await desk.messages.conversation(ben.contact.id)).data;
        const held = conversation.find((m) => m.id === paused.booking.confirmation_message_id);
        out.line(`  ${out.color.green('✓')} reply ${reply.message.id}; automation paused: ${reply.automation_paused}; queued automated messages cancelled: ${reply.cancelled_message_ids.length}`);
        out.line(`  ${out.color.green('✓')} a new booking's confirmation for Ben: ${held ? `${held.status} (${held.cancel_reason})` : 'none'}`);
        for (const m of conversation) out.line(`  ${m.direction === 'inbound' ? '←' : '→'} ${m.kind} [${m.status}] ${m.body}`);
        const resumed = await ops.contacts.resumeAutomation(ben.contact.id);
        out.line(`  ${out.color.green('✓')} resumed by the admin: ${resumed.resumed}`);

        step(out, 'The dashboard: every figure exact, read from counters the database keeps');
        const dashboard = await desk.dashboard.get();
        out.line(
          keyValues(out.color, [
            ['Contacts', `${dashboard.contacts.total} (${dashboard.contacts.new_this_week} this week)`],
            ['Bookings', `${dashboard.bookings.today} today, ${dashboard.bookings.upcoming} in the next 7 days`],
            ['Low stock', dashboard.inventory.low_stock],
            ['Active alerts', dashboard.alerts.active],
            ['Messages', `${dashboard.messages.queued} queued, ${dashboard.messages.failed} failed`],
          ]),
        );

        out.data(
          {
            server: server.url,
            admin: first,
            staff: member,
            second_admin_refused: again,
            contacts: [ana.contact, ben.contact],
            welcome,
            staff_delete_refused: staffDelete,
            inventory: afterUse,
            overdraw_refused: overdraw,
            alerts,
            booking,
            slot_taken: clash,
            back_to_back: next.booking,
            reply,
            held_confirmation: held,
            resumed: resumed.resumed,
            dashboard,
          },
          () => `\n${out.color.green.bold('Demo complete.')} Next: careos server start, then the three curl commands of docs/care-operations.md`,
        );
      } finally {
        await Promise.all([anonymous.close(), ops.close(), desk.close()]);
        await server.close();
        if (!options.keep) {
          rmSync(dataDir, { recursive: true, force: true });
          // The development master key the server wrote beside the database goes with it.
          rmSync(masterKeyFileFor(dataDir), { force: true });
        }
      }
    });
}

function step(out: Output, title: string): void {
  out.line(`\n${out.color.bold.cyan(`▸ ${title}`)}`);
}
