// Turning a stored person into an Actor with their memberships.
import type { Db } from '../db/connection.ts';
import { NotFoundError } from './errors.ts';
import type { Actor } from './permissions.ts';
import { statements } from './statements.ts';

export function loadActor(db: Db, personId: number): Actor {
  const q = statements(db);
  if (!q.personById.get({ id: personId })) throw new NotFoundError('person', personId);
  return { kind: 'person', personId, memberships: q.membershipsOf.all({ personId }) };
}
