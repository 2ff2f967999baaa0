import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/**
 * Where webhooks go. An endpoint belongs to an integration partner acting for one therapist
 * (registered with that therapist's token) or to a lead partner; it receives only the events it
 * subscribed to.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    /** `integration` (therapist-integration partner) or `partner` (lead partner). */
    ownerKind: text('owner_kind').notNull(),
    /** Integration partner id or lead partner id, by `owner_kind`. */
    ownerId: text('owner_id').notNull(),
    /** For `integration` endpoints: the therapist whose clients' events are delivered. */
    therapistId: text('therapist_id'),
    url: text('url').notNull(),
    events: jsonb('events').$type<string[]>().notNull(),
    /** The `whsec_` signing secret, encrypted with the server's data key (DESIGN §4.9). */
    secretCiphertext: text('secret_ciphertext').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    disabledAt: ts('disabled_at'),
  },
  (t) => [index('webhook_endpoints_owner_idx').on(t.ownerKind, t.ownerId), index('webhook_endpoints_therapist_idx').on(t.therapistId)],
);

/**
 * The durable outbox: one row per (event, endpoint), written in the same transaction as the
 * change that caused it, so an event is never lost and never sent for a change that rolled back.
 * `body_enc` holds the exact bytes signed and sent, identical on every attempt, sealed: alert
 * events quote the alert's text.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    eventType: text('event_type').notNull(),
    bodyEnc: encrypted('body_enc'),
    /** `pending`, `delivered` or `failed` (attempts exhausted). */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; `null` once delivered or failed. */
    nextAttemptAt: ts('next_attempt_at'),
    /**
     * While in the future, the instance in `locked_by` owns the attempt in flight; it renews the
     * lease on every heartbeat, and a lease whose owner is dead (see `instances`) is free at once.
     */
    lockedUntil: ts('locked_until'),
    lockedBy: text('locked_by'),
    /** Identifies one claim, so that only the claim still current records the outcome. */
    leaseId: text('lease_id'),
    lastAttemptAt: ts('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    body: legacyPlaintext('body'),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId),
  ],
);

/** Every attempt of a delivery, for the admin API's delivery history. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    /**
     * `sending` (recorded before the request goes out), `delivered`, `failed`, or `interrupted`
     * (its instance died before recording a response).
     */
    outcome: text('outcome').notNull().default('failed'),
    /** Instance that made the attempt, to tell a `sending` attempt in flight from an interrupted one. */
    instanceId: text('instance_id'),
    startedAt: ts('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** HTTP status, or `null` when no response arrived. */
    statusCode: integer('status_code'),
    /** Connection error or a short, PHI-free reason. */
    error: text('error'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId)],
);
