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
    .description('Run the care-operations demo: first admin, staff, contacts and their welcome, bookings that cannot clash, low stock, a staff reply, the dashboard')
    .option('--json', 'print a JSON summary instead of the walkthrough')
    .option('--keep', 'keep the temporary data directory')
    .action(async (_options: unknown, command: Command) => {
      // `careos demo` has the same options: whichever command commander gave them to, they count.
      const options = command.optsWithGlobals<{ json?: boolean; keep?: boolean }>();
      const out = createOutput({ json: options.json });
      const { startServer } = await loadServerPackage('careos demo operations');
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

        out.data(
          { server: server.url, admin: first, staff: member, second_admin_refused: again, contacts: [ana.contact, ben.contact], welcome, staff_delete_refused: staffDelete, inventory: afterUse, overdraw_refused: overdraw, alerts },
          () => `\n${out.color.green.bold('Demo complete.')} Next: careos server start, then the three curl commands of docs/care-operations.md`,
        );
      } finally {
        await Promise.all([anonymous.close(), ops.close(), desk.close()]);
        await server.close();
        if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
      }
    });
}

function step(out: Output, title: string): void {
  out.line(`\n${out.color.bold.cyan(`▸ ${title}`)}`);
}
