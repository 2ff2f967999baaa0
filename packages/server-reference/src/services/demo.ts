import { constants, publicEncrypt } from 'node:crypto';
import { hashPhone, InboundLead, SEED_EXAMPLE_LEAD, SEED_SAMPLE_API_KEY } from '@careos/contract';
import { generateApiKey, randomBase62 } from '../crypto/api-keys.js';
import type { KeyRing } from '../crypto/key-ring.js';
import type { BookingService } from './bookings.js';
import { seedBookingsDemo } from './bookings-demo.js';
import type { ContactService } from './contacts.js';
import { seedDemoContacts } from './contacts-demo.js';
import type { ConversationService } from './conversations.js';
import { seedDemoConversations } from './messages-demo.js';
import type { IntegrationServices } from './integration/index.js';
import type { IntegrationDemoCredentials } from './integration/demo.js';
import type { InventoryService } from './inventory.js';
import { seedInventoryDemo } from './inventory-demo.js';
import type { LeadService } from './leads.js';
import type { LookupServices } from './lookup/index.js';
import type { LookupDemoCredentials } from './lookup/demo.js';
import type { PartnerService } from './partners.js';
import { SettingKey, type SettingsService } from './settings.js';
import type { StaffService } from './staff.js';
import type { Clock } from '../domain/clock.js';

/** Credentials of the demo data, as written to `<data-dir>/demo-credentials.json`. */
export interface DemoCredentials {
  partner: { platform: string; apiKey: string; phoneHashSalt: string; publicKeyPem: string; keyId: string };
  admin: { email: string; password: string };
  /** A staff-role account (care operations): the demo's bookings are with it and its replies are in the demo conversations. */
  staff: { email: string; password: string };
  /** The therapist-integration demo: API key and secret, therapist, and client ids by case. */
  integration: IntegrationDemoCredentials;
  /** The CCaaS lookup demo: API keys (the seed's placeholder among them) and the seed's test numbers. */
  lookup: LookupDemoCredentials;
}

/** The demo partner: the seed's own example. */
export const DEMO_PLATFORM = 'businessos';
/** Demo admin account when `CAREOS_ADMIN_*` is not set. */
export const DEMO_ADMIN_EMAIL = 'admin@careos.local';
/** Demo staff-role account. */
export const DEMO_STAFF_EMAIL = 'staff@careos.local';
/** Phone of the seed's example lead (a reserved-for-fiction 555 number). */
export const DEMO_LEAD_PHONE = '+14155550123';

interface StoredDemo {
  apiKey: string;
  adminPassword: string | null;
  /** Absent in demo data stored before the staff account existed. */
  staffPassword?: string;
}

/** Loads the demo data (seed examples); running it again adds nothing. */
export class DemoService {
  constructor(
    private readonly deps: {
      settings: SettingsService;
      partners: PartnerService;
      staff: StaffService;
      leads: LeadService;
      contacts: ContactService;
      conversations: ConversationService;
      integration: IntegrationServices;
      lookup: LookupServices;
      inventory: InventoryService;
      bookings: BookingService;
      clock: Clock;
      keys: () => KeyRing;
      admin: { email: string; password: string } | null;
    },
  ) {}

  /** Seeds (or finds) the demo data and returns its credentials. */
  async seed(): Promise<DemoCredentials> {
    const { settings, partners, staff, leads } = this.deps;
    const storedText = await settings.get(SettingKey.demoCredentials);
    const stored = storedText ? (JSON.parse(storedText) as StoredDemo) : null;

    const salt = await partners.ensure({ platform: DEMO_PLATFORM, name: 'BusinessOS' });
    let apiKey = stored?.apiKey;
    if (!apiKey || !(await partners.hasKey(apiKey))) {
      apiKey = generateApiKey(DEMO_PLATFORM, 'test');
      await partners.createKey(DEMO_PLATFORM, { environment: 'test', revokeExisting: false, source: 'demo', key: apiKey });
    }
    if (!(await partners.hasKey(SEED_SAMPLE_API_KEY))) {
      await partners.createKey(DEMO_PLATFORM, { environment: 'live', revokeExisting: false, source: 'demo', key: SEED_SAMPLE_API_KEY });
    }

    const admin = this.deps.admin ? { ...this.deps.admin } : await this.#account(DEMO_ADMIN_EMAIL, 'Demo Admin', 'admin', stored?.adminPassword ?? null);
    const member = await this.#account(DEMO_STAFF_EMAIL, 'Demo Staff', 'staff', stored?.staffPassword ?? null);

    // The seed's example request, with a real ciphertext and hash of the demo phone.
    const ring = this.deps.keys();
    const ciphertext = publicEncrypt(
      { key: ring.current.publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(DEMO_LEAD_PHONE, 'utf8'),
    ).toString('base64');
    const identity = await partners.authenticate(apiKey, DEMO_PLATFORM);
    await leads.ingest({
      partner: identity,
      lead: InboundLead.parse({
        ...SEED_EXAMPLE_LEAD,
        source_platform: DEMO_PLATFORM,
        user_phone_hash: hashPhone(DEMO_LEAD_PHONE, salt),
        user_phone_encrypted: ciphertext,
      }),
    });

    await seedDemoContacts(this.deps.contacts);
    const staffMember = (await staff.findByEmail(member.email))!;
    await seedDemoConversations(this.deps, { staffId: staffMember.id, requestId: 'demo-seed', ip: null });
    const integration = await this.deps.integration.demo.seed(settings);
    // After the lead: the demo patient with the lead's phone is linked to the user it created.
    const lookup = await this.deps.lookup.demo.seed(settings);
    await seedInventoryDemo(this.deps.inventory);
    await seedBookingsDemo({ bookings: this.deps.bookings, contacts: this.deps.contacts, staffId: staffMember.id, now: this.deps.clock.now() });

    const next: StoredDemo = { apiKey, adminPassword: this.deps.admin ? null : admin.password, staffPassword: member.password };
    if (JSON.stringify(next) !== storedText) await settings.set(SettingKey.demoCredentials, JSON.stringify(next));
    return {
      partner: { platform: DEMO_PLATFORM, apiKey, phoneHashSalt: salt, publicKeyPem: ring.current.publicKeyPem, keyId: ring.current.id },
      admin,
      staff: member,
      integration,
      lookup,
    };
  }

  /**
   * A demo account: created with a new password the first time, found again with the stored one
   * later, and given a new one if the stored password was lost.
   */
  async #account(email: string, name: string, role: 'admin' | 'staff', storedPassword: string | null): Promise<{ email: string; password: string }> {
    const { staff } = this.deps;
    let password = storedPassword;
    if (!(await staff.findByEmail(email))) {
      password = randomBase62(20);
      await staff.create({ email, password, name, role });
    } else if (!password) {
      password = randomBase62(20);
      await staff.setPassword(email, password);
    }
    return { email, password };
  }
}
