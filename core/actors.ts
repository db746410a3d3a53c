// Turning a stored person into an Actor with their memberships.

import { queryAll, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError } from './errors.ts';
import type { Actor } from './permissions.ts';
import { statements } from './statements.ts';

export async function loadActor(db: Db, personId: number): Promise<Actor> {
  const q = statements(db);
  if (!(await queryOne(q.personById, { id: personId }))) throw new NotFoundError('person', personId);
  return { kind: 'person', personId, memberships: await queryAll(q.membershipsOf, { personId }) };
}
