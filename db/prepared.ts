// Prepared queries kept per connection. A prepared query runs where it was built: on SQLite the one
// connection, on PostgreSQL the pool or one transaction's client. So on PostgreSQL the set is looked up when a
// query of it is used, by what the handle routes to at that moment (db/pg/store.ts): queries taken before a
// transaction began still run in it.
import type { Db } from './connection.ts';
import { isPostgresStore, routeOf } from './pg/store.ts';

export function preparedFor<S extends object>(cache: WeakMap<object, S>, db: Db, build: (db: Db) => S): S {
  if (!isPostgresStore(db)) return builtOn(cache, db, db, build);
  return new Proxy({} as S, {
    get: (_, name) => builtOn(cache, db, routeOf(db), build)[name as keyof S],
  });
}

function builtOn<S extends object>(
  cache: WeakMap<object, S>,
  db: Db,
  route: object,
  build: (db: Db) => S,
): S {
  let set = cache.get(route);
  if (!set) {
    set = build(db);
    cache.set(route, set);
  }
  return set;
}
