// Who a message is from: the person behind a Telegram account, an e-mail address or a phone number, made
// known the first time they write. A stranger at a company's own mail domain lands with that company; at a
// public mail service, or with no match at all, with no company (unverified, for the 1st line to sort out).
import { eq } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import { companies, memberships, type PersonRow, people } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import type { Language } from '../model.ts';
import { ensureTelegramPerson, normalizePhone, personByTelegram } from '../onboarding.ts';
import { statements } from '../statements.ts';
import type { SenderRef } from './inbound.ts';
import { isPublicMailDomain, mailDomain } from './public-mail-domains.ts';

export interface IdentifiedSender {
  person: PersonRow;
  /** Made just now: the desk did not know them. */
  created: boolean;
}

/** Call inside the intake's transaction: a person made here goes away with it when the intake fails. */
export async function identifySender(
  ctx: DeskContext,
  sender: SenderRef,
  language?: Language,
  /**
   * A stranger at a company's own mail domain becomes its client: true for mail, where the domain is the
   * sender's server; false for a form anyone can type any address into.
   */
  companyByDomain = true,
): Promise<IdentifiedSender> {
  const db = ctx.db;
  switch (sender.kind) {
    case 'person': {
      const person = await queryOne(statements(db).personById, { id: sender.personId });
      if (!person) throw new NotFoundError('person', sender.personId);
      return { person, created: false };
    }
    case 'telegram': {
      const before = await personByTelegram(db, sender.telegramUserId);
      return { person: await ensureTelegramPerson(ctx, sender), created: before === undefined };
    }
    case 'email': {
      const address = sender.address.trim().toLowerCase();
      const known = await queryOne(
        db.select().from(people).where(eq(people.email, address)).orderBy(people.id),
      );
      if (known) return { person: known, created: false };
      const person = await insertPerson(ctx, { email: address }, sender.name || address, language);
      const domain = mailDomain(address);
      if (companyByDomain && domain !== '' && !isPublicMailDomain(domain)) {
        const company = await queryOne(
          db
            .select({ id: companies.id })
            .from(companies)
            .where(eq(companies.emailDomain, domain))
            .orderBy(companies.id),
        );
        if (company) {
          await execute(
            db
              .insert(memberships)
              .values({ personId: person.id, companyId: company.id, role: 'client' })
              .onConflictDoNothing(),
          );
        }
      }
      return { person, created: true };
    }
    case 'phone': {
      const phone = normalizePhone(sender.number);
      if (phone !== null) {
        const known = await queryOne(
          db.select().from(people).where(eq(people.phone, phone)).orderBy(people.id),
        );
        if (known) return { person: known, created: false };
      }
      const person = await insertPerson(
        ctx,
        { phone: phone ?? sender.number.trim() },
        sender.name || sender.number,
        language,
      );
      return { person, created: true };
    }
  }
}

async function insertPerson(
  ctx: DeskContext,
  contact: { email?: string; phone?: string },
  name: string,
  language: Language | undefined,
): Promise<PersonRow> {
  return await queryOne(
    ctx.db
      .insert(people)
      .values({
        ...contact,
        name: name.trim().slice(0, 200),
        language: language ?? 'ru',
        createdAt: ctx.clock.now(),
      })
      .returning(),
  );
}
