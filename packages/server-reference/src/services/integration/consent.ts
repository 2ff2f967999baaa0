import { ErrorCode, ErrorText, type ClientLink, type PermissionLevel } from '@careos/contract';
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { clientLinks, clients, therapists } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import type { WebhookOutbox } from '../webhooks/outbox.js';

/** A therapist-client link whose consent is in force. */
export interface ActiveLink {
  linkId: string;
  clientId: string;
  permissionLevel: PermissionLevel;
  consentGrantedAt: Date;
}

type LinkRow = typeof clientLinks.$inferSelect;

/** Reads a stored permission level (the column only ever holds the three values). */
export function toPermissionLevel(value: string): PermissionLevel {
  return value === 'FULL' ? 'FULL' : value === 'STANDARD' ? 'STANDARD' : 'BASIC';
}

/** The SQL condition "this link's consent is in force". */
export const consentInForce = and(isNotNull(clientLinks.consentGrantedAt), isNull(clientLinks.consentRevokedAt));

function noConsent(): DomainError {
  return new DomainError(ErrorCode.NO_CONSENT, ErrorText.noConsent, { message: 'The client has not consented to share data with this therapist, or revoked it' });
}

/** A link as the admin API returns it. */
export function linkRecord(row: LinkRow): ClientLink {
  return {
    id: row.id,
    therapist_id: row.therapistId,
    client_id: row.clientId,
    permission_level: toPermissionLevel(row.permissionLevel),
    consent_granted_at: row.consentGrantedAt?.toISOString() ?? null,
    consent_revoked_at: row.consentRevokedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Client consent to therapists. Every integration read goes through here, and reads the
 * database each time: a revocation or a permission change applies to the very next request.
 */
export class ConsentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly outbox: WebhookOutbox,
  ) {}

  /**
   * The link of a client the therapist may see. A client who never linked to this therapist,
   * revoked consent, or does not exist at all gets the same 403 `NO_CONSENT`, so the answer
   * never reveals whether the id exists.
   */
  async require(therapistId: string, clientId: string): Promise<ActiveLink> {
    const [link] = await this.activeLinks(therapistId, [clientId]);
    if (!link) throw noConsent();
    return link;
  }

  /** The therapist's links in force, optionally only for some clients. */
  async activeLinks(therapistId: string, clientIds?: readonly string[]): Promise<ActiveLink[]> {
    if (clientIds && clientIds.length === 0) return [];
    const rows = await this.ctx.db.orm
      .select()
      .from(clientLinks)
      .where(and(eq(clientLinks.therapistId, therapistId), consentInForce, clientIds ? inArray(clientLinks.clientId, [...clientIds]) : undefined))
      .orderBy(clientLinks.id);
    return rows.map((row) => ({ linkId: row.id, clientId: row.clientId, permissionLevel: toPermissionLevel(row.permissionLevel), consentGrantedAt: row.consentGrantedAt! }));
  }

  /** Links a client to a therapist with consent granted now. */
  async create(input: { therapistId: string; clientId: string; permissionLevel: PermissionLevel }): Promise<ClientLink> {
    const [therapist] = await this.ctx.db.orm.select({ id: therapists.id }).from(therapists).where(eq(therapists.id, input.therapistId));
    const [client] = await this.ctx.db.orm.select({ id: clients.id }).from(clients).where(eq(clients.id, input.clientId));
    if (!therapist || !client) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No ${therapist ? 'client' : 'therapist'} with this id` });
    const now = this.ctx.clock.now();
    const [row] = await this.ctx.db.orm
      .insert(clientLinks)
      .values({ id: newId('lnk', now), therapistId: input.therapistId, clientId: input.clientId, permissionLevel: input.permissionLevel, consentGrantedAt: now, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: [clientLinks.therapistId, clientLinks.clientId] })
      .returning();
    if (!row) throw new DomainError(ErrorCode.ALREADY_EXISTS, ErrorText.linkExists, { message: 'Change the existing link with PATCH /admin/integration/links/{linkId}' });
    return linkRecord(row);
  }

  /**
   * What a client does in the app: change the permission level, revoke consent or grant it
   * again. A revocation queues `consent.revoked` in the same transaction, so the event is sent
   * if and only if the revocation committed.
   */
  async update(linkId: string, input: { permissionLevel?: PermissionLevel; consent?: 'granted' | 'revoked' }): Promise<ClientLink> {
    const now = this.ctx.clock.now();
    return this.ctx.db.orm.transaction(async (tx) => {
      const [current] = await tx.select().from(clientLinks).where(eq(clientLinks.id, linkId)).for('update');
      if (!current) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No link with this id' });
      const set: Partial<LinkRow> = { updatedAt: now };
      if (input.permissionLevel) set.permissionLevel = input.permissionLevel;
      const wasInForce = current.consentGrantedAt !== null && current.consentRevokedAt === null;
      if (input.consent === 'revoked' && wasInForce) set.consentRevokedAt = now;
      if (input.consent === 'granted' && !wasInForce) Object.assign(set, { consentGrantedAt: now, consentRevokedAt: null });
      const [row] = await tx.update(clientLinks).set(set).where(eq(clientLinks.id, linkId)).returning();
      if (set.consentRevokedAt) {
        await this.outbox.emit(tx, 'consent.revoked', { kind: 'therapist', therapistId: current.therapistId }, {
          clientId: current.clientId,
          therapistId: current.therapistId,
          linkId,
          revokedAt: now.toISOString(),
        });
      }
      return linkRecord(row!);
    });
  }
}
