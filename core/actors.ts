// Turning a stored person into an Actor with their memberships.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { memberships, people } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import type { Actor } from './permissions.ts';

export function loadActor(db: Db, personId: number): Actor {
  const person = db.select({ id: people.id }).from(people).where(eq(people.id, personId)).get();
  if (!person) throw new NotFoundError('person', personId);
  const rows = db
    .select({ role: memberships.role, companyId: memberships.companyId })
    .from(memberships)
    .where(eq(memberships.personId, personId))
    .all();
  return { kind: 'person', personId, memberships: rows };
}
