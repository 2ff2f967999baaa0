import { ErrorCode, ErrorText, type ClientRecord, type CoupleRecord, type Therapist } from '@careos/contract';
import { eq, inArray } from 'drizzle-orm';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import { clients, couples, therapists } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';

type TherapistRow = typeof therapists.$inferSelect;
type CoupleStatus = CoupleRecord['status'];

function therapistRecord(row: TherapistRow, cipher: FieldCipher): Therapist {
  return {
    id: row.id,
    first_name: cipher.open(therapists.firstNameEnc, row.firstNameEnc!),
    last_name: cipher.open(therapists.lastNameEnc, row.lastNameEnc!),
    email: cipher.open(therapists.emailEnc, row.emailEnc!),
    active: row.active,
    created_at: row.createdAt.toISOString(),
  };
}

/** Reads a stored couple status. */
export function toCoupleStatus(value: string): CoupleStatus {
  return value === 'paused' || value === 'ended' ? value : 'active';
}

/** Therapists, clients and couples: the people the integration API talks about. */
export class DirectoryService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Creates a therapist. `id` is for the demo data, which reuses the seed's example id. */
  async createTherapist(input: { firstName: string; lastName: string; email: string; active: boolean; id?: string }): Promise<Therapist> {
    const now = this.ctx.clock.now();
    const { cipher } = this.ctx.phi;
    const [row] = await this.ctx.db.orm
      .insert(therapists)
      .values({
        id: input.id ?? newId('thr', now),
        firstNameEnc: cipher.seal(therapists.firstNameEnc, input.firstName),
        lastNameEnc: cipher.seal(therapists.lastNameEnc, input.lastName),
        emailEnc: cipher.seal(therapists.emailEnc, input.email),
        active: input.active,
        createdAt: now,
      })
      .returning();
    return therapistRecord(row!, cipher);
  }

  /** Activates or deactivates a therapist; tokens acting for an inactive one stop working at once. */
  async setTherapistActive(therapistId: string, active: boolean): Promise<Therapist> {
    const [row] = await this.ctx.db.orm.update(therapists).set({ active }).where(eq(therapists.id, therapistId)).returning();
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No therapist with this id' });
    return therapistRecord(row, this.ctx.phi.cipher);
  }

  /** Whether a therapist with this id exists. */
  async therapistExists(therapistId: string): Promise<boolean> {
    return (await this.ctx.db.orm.select({ id: therapists.id }).from(therapists).where(eq(therapists.id, therapistId))).length > 0;
  }

  /** Creates a client. `createdAt` lets the demo data start months back. */
  async createClient(input: { firstName: string; lastName: string; email: string; createdAt?: Date }): Promise<ClientRecord> {
    const now = input.createdAt ?? this.ctx.clock.now();
    const { cipher } = this.ctx.phi;
    const [row] = await this.ctx.db.orm
      .insert(clients)
      .values({
        id: newId('cli', now),
        firstNameEnc: cipher.seal(clients.firstNameEnc, input.firstName),
        lastNameEnc: cipher.seal(clients.lastNameEnc, input.lastName),
        emailEnc: cipher.seal(clients.emailEnc, input.email),
        createdAt: now,
      })
      .returning({ id: clients.id, createdAt: clients.createdAt });
    return { id: row!.id, first_name: input.firstName, last_name: input.lastName, email: input.email, created_at: row!.createdAt.toISOString() };
  }

  /** Pairs two existing clients. */
  async createCouple(input: { partner1Id: string; partner2Id: string; status: CoupleStatus }): Promise<CoupleRecord> {
    const found = await this.ctx.db.orm.select({ id: clients.id }).from(clients).where(inArray(clients.id, [input.partner1Id, input.partner2Id]));
    if (found.length !== 2) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'Both partners must be existing clients' });
    const now = this.ctx.clock.now();
    const [row] = await this.ctx.db.orm
      .insert(couples)
      .values({ id: newId('cpl', now), partner1Id: input.partner1Id, partner2Id: input.partner2Id, status: input.status, createdAt: now })
      .returning();
    return { id: row!.id, partner1_id: row!.partner1Id, partner2_id: row!.partner2Id, status: toCoupleStatus(row!.status), created_at: row!.createdAt.toISOString() };
  }
}
