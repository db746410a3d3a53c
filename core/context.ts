// What every core function runs with: the store, the clock, and the cache of compiled SLA policies.
import type { Db } from '../db/connection.ts';
import type { Clock } from './model.ts';
import { PolicyBook } from './policies.ts';

export interface DeskContext {
  db: Db;
  clock: Clock;
  policies: PolicyBook;
}

export function createContext(db: Db, clock: Clock): DeskContext {
  return { db, clock, policies: new PolicyBook(db) };
}
