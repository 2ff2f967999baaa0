import type { LookupFunction } from 'node:net';
import type { KeyRing } from '../crypto/key-ring.js';
import type { MasterKeyProvider } from '../crypto/master-key.js';
import { selectMasterKey } from '../crypto/select-master-key.js';
import { AlertService } from './alerts.js';
import { AuditService } from './audit.js';
import { BookingService } from './bookings.js';
import { BusinessSettingsService } from './business-settings.js';
import { AutomationService } from './automation.js';
import { CalendarConnections } from './calendar/connections.js';
import { CalendarTokens } from './calendar/tokens.js';
import { BookingCalendarPushes } from './calendar/booking-pushes.js';
import { CalendarEventWriter } from './calendar/event-writes.js';
import { eventsApiFactory, type EventsApiFactory } from './calendar/events-client.js';
import { CalendarPushWorker } from '../workers/calendar-pushes.js';
import { CalendarProviders } from './calendar/oauth-providers.js';
import { createSandboxCalendarServices, type SandboxCalendarServices } from './calendar-sandbox/index.js';
import { CommsService } from './comms/comms.js';
import { OptOutService } from './comms/opt-outs.js';
import { ContactService } from './contacts.js';
import { ConversationService } from './conversations.js';
import type { ServiceContext } from './context.js';
import { DashboardService } from './dashboard.js';
import { DataKeyService } from './data-keys.js';
import { DemoService } from './demo.js';
import { HealthService } from './health.js';
import { IdempotencyService } from './idempotency.js';
import { InboundSmsService } from './inbound-sms.js';
import { InstanceRegistry } from './instances.js';
import { InventoryService } from './inventory.js';
import { IntegrationCheckService } from './integration-checks.js';
import { createIntegrationServices, type IntegrationServices } from './integration/index.js';
import { LeadService } from './leads.js';
import { createLookupServices, type LookupServices } from './lookup/index.js';
import { MessageService } from './messages.js';
import { PartnerService } from './partners.js';
import { PaymentService } from './payments.js';
import { ProviderEventService } from './provider-events.js';
import { SettingsService } from './settings.js';
import { StaffService } from './staff.js';
import { WebhookDeliveryService } from './webhooks/deliveries.js';
import { WebhookEndpointService } from './webhooks/endpoints.js';
import { WebhookOutbox } from './webhooks/outbox.js';
import { WebhookSandbox } from './webhooks/sandbox.js';
import { WebhookSecrets } from './webhooks/secrets.js';
import { WebhookUrlPolicy } from './webhooks/url-policy.js';
import { BookingReminderWorker } from '../workers/booking-reminders.js';
import { CalendarSyncWorker } from '../workers/calendar-sync.js';
import { CalendarSync } from './calendar/sync.js';
import { CalendarPush } from './calendar/push.js';
import { CalendarEvents } from './calendar/events.js';
import { WebhookDeliveryWorker } from '../workers/webhook-delivery.js';

/** Every service of an app instance. */
export interface AppServices {
  /** The master key and the data keys it wraps (DESIGN §4.9). */
  dataKeys: DataKeyService;
  settings: SettingsService;
  alerts: AlertService;
  audit: AuditService;
  idempotency: IdempotencyService;
  /** This instance's liveness record; tells which other instances are alive. */
  instances: InstanceRegistry;
  partners: PartnerService;
  staff: StaffService;
  messages: MessageService;
  /** Care operations: the people served (the same rows leads create). */
  contacts: ContactService;
  /** Whether automated messages go to a contact: paused by a staff reply, resumed by an admin. */
  automation: AutomationService;
  /** The conversation with a contact: staff replies and inbound messages. */
  conversations: ConversationService;
  /** SMS and email to clients (single, template, bulk) with their audit rows. */
  comms: CommsService;
  /** SMS opt-outs (STOP/START) and email suppressions, checked by every send. */
  optOuts: OptOutService;
  leads: LeadService;
  payments: PaymentService;
  health: HealthService;
  /** Business metrics from the maintained counters. */
  dashboard: DashboardService;
  /** Supplies in stock, with their low-stock alerts. */
  inventory: InventoryService;
  /** The business's shared settings (its time zone and quiet hours). */
  business: BusinessSettingsService;
  /** Care operations: contacts' appointments with staff. */
  bookings: BookingService;
  /** Queues due automatic booking reminders; `createApp` starts and stops it. */
  bookingReminders: BookingReminderWorker;
  demo: DemoService;
  webhookOutbox: WebhookOutbox;
  /** Therapist integration: access, consent, caseload reads, alerts, tasks. */
  integration: IntegrationServices;
  webhookEndpoints: WebhookEndpointService;
  webhookDeliveries: WebhookDeliveryService;
  webhookSandbox: WebhookSandbox;
  /** CCaaS screen-pop lookup: API keys, patients and cases. */
  lookup: LookupServices;
  /** Sends due deliveries; `createApp` starts and stops it. */
  webhookWorker: WebhookDeliveryWorker;
  /** The third-party integration self-test. */
  integrationChecks: IntegrationCheckService;
  /** Delivery reports from Twilio and SendGrid, kept and applied forward only. */
  providerEvents: ProviderEventService;
  /** Replies to our SMS number: opt-out keywords, HELP, and messages from contacts. */
  inboundSms: InboundSmsService;
  /** Staff members' calendar connections (OAuth with PKCE). */
  calendarConnections: CalendarConnections;
  /** Access tokens of connected calendars, refreshed one at a time per integration. */
  calendarTokens: CalendarTokens;
  /** Events staff members create on their connected calendars. */
  calendarEventWriter: CalendarEventWriter;
  /** What bookings ask of staff members' calendars, recorded in their transactions. */
  calendarPushes: BookingCalendarPushes;
  /** Writes bookings to staff members' calendars after they commit, with retries. */
  calendarPushWorker: CalendarPushWorker;
  /** The calendar providers this deployment offers (Google, Microsoft, the sandbox). */
  calendarProviders: CalendarProviders;
  /** The sandbox calendar provider the server serves itself (`--seed demo`, `CAREOS_CALENDAR_SANDBOX`). */
  sandboxCalendar: SandboxCalendarServices;
  /** Incremental sync of connected calendars into `synced_calendar_events`. */
  calendarSync: CalendarSync;
  /** Syncs due calendars in the background; `createApp` starts and stops it. */
  calendarSyncWorker: CalendarSyncWorker;
  /** Push notifications of calendar changes (Google watch channels, Graph subscriptions). */
  calendarPush: CalendarPush;
  /** A staff member's events across their calendars, series expanded. */
  calendarEvents: CalendarEvents;
}

/** Options of {@link createServices}. */
export interface ServiceOptions {
  /** Resolves webhook host names, at registration and delivery (default: the system resolver). */
  webhookLookup?: LookupFunction;
  /** Replaces the master key chosen from the configuration (say, a cloud KMS). */
  masterKey?: MasterKeyProvider;
  /** The events API of each staff member's calendar (default: Google or Graph with the stored tokens). */
  calendarEventsApi?: EventsApiFactory;
}

/** Wires the services together; `keys` gives the key ring once start-up has loaded it. */
export function createServices(ctx: ServiceContext, keys: () => KeyRing, options: ServiceOptions = {}): AppServices {
  const instances = new InstanceRegistry(ctx);
  const dataKeys = new DataKeyService(ctx.db, ctx.clock, () => selectMasterKey(ctx.config, ctx.db, ctx.logger, options.masterKey));
  const settings = new SettingsService(ctx, dataKeys);
  const alerts = new AlertService(ctx);
  const inventory = new InventoryService(ctx, alerts);
  const partners = new PartnerService(ctx);
  const staff = new StaffService(ctx, settings);
  const audit = new AuditService(ctx);
  const business = new BusinessSettingsService(ctx, settings);
  const messages = new MessageService(ctx, alerts, instances, audit, business);
  const automation = new AutomationService(ctx, audit);
  const leads = new LeadService(ctx, keys, messages, audit);
  const contacts = new ContactService(ctx, messages, automation);
  const conversations = new ConversationService(ctx, messages, automation);
  const optOuts = new OptOutService(ctx);
  const comms = new CommsService(ctx, messages, audit, optOuts);
  const sandboxCalendar = createSandboxCalendarServices(ctx, settings);
  const calendarProviders = new CalendarProviders(ctx.config.integrations, sandboxCalendar.site);
  const calendarTokens = new CalendarTokens(ctx, alerts, calendarProviders);
  const calendarApi = options.calendarEventsApi ?? eventsApiFactory(ctx.config.integrations, sandboxCalendar.site, calendarTokens);
  const calendarSync = new CalendarSync(ctx, calendarApi, calendarProviders);
  const calendarPush = new CalendarPush(ctx, calendarTokens, calendarProviders, calendarSync);
  const calendarPushes = new BookingCalendarPushes();
  const bookings = new BookingService(ctx, messages, business, calendarPushes);
  const webhookOutbox = new WebhookOutbox(ctx);
  const integration = createIntegrationServices(ctx, settings, webhookOutbox);
  const webhookSecrets = new WebhookSecrets(dataKeys);
  const lookup = createLookupServices(ctx);
  const providerEvents = new ProviderEventService(ctx, audit, optOuts);
  const webhookUrlPolicy = new WebhookUrlPolicy({ requireHttps: ctx.config.webhooks.requireHttps, allowPrivate: ctx.config.webhooks.allowPrivate, ...(options.webhookLookup ? { lookup: options.webhookLookup } : {}) });
  return {
    dataKeys,
    settings,
    alerts,
    audit,
    idempotency: new IdempotencyService(ctx, instances),
    instances,
    partners,
    staff,
    messages,
    contacts,
    automation,
    conversations,
    comms,
    optOuts,
    leads,
    payments: new PaymentService(ctx, alerts, webhookOutbox),
    health: new HealthService(ctx),
    dashboard: new DashboardService(ctx, business),
    inventory,
    business,
    bookings,
    bookingReminders: new BookingReminderWorker(ctx, { messages, business }),
    webhookOutbox,
    integration,
    webhookEndpoints: new WebhookEndpointService(ctx, webhookSecrets, webhookUrlPolicy),
    webhookDeliveries: new WebhookDeliveryService(ctx, webhookOutbox),
    webhookSandbox: new WebhookSandbox(ctx, { outbox: webhookOutbox, partners, therapistAlerts: integration.alerts }),
    webhookWorker: new WebhookDeliveryWorker(ctx, { outbox: webhookOutbox, secrets: webhookSecrets, alerts, instances, urlPolicy: webhookUrlPolicy }),
    integrationChecks: new IntegrationCheckService(ctx),
    lookup,
    providerEvents,
    inboundSms: new InboundSmsService(ctx, providerEvents, optOuts),
    calendarConnections: new CalendarConnections(ctx, audit, calendarProviders, calendarPush),
    calendarProviders,
    sandboxCalendar,
    calendarTokens,
    calendarSync,
    calendarSyncWorker: new CalendarSyncWorker(ctx, calendarSync, calendarProviders, calendarPush),
    calendarPush,
    calendarEvents: new CalendarEvents(ctx, calendarSync),
    calendarEventWriter: new CalendarEventWriter(ctx, calendarApi),
    calendarPushes,
    calendarPushWorker: new CalendarPushWorker(ctx, { pushes: calendarPushes, alerts, business, api: calendarApi }),
    demo: new DemoService({ settings, partners, staff, leads, contacts, conversations, integration, lookup, inventory, bookings, clock: ctx.clock, keys, admin: ctx.config.admin }),
  };
}
