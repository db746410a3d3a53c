// The store's tables, as core builds its queries from them: SQLite's (db/sqlite/schema.ts) or PostgreSQL's
// (db/pg/schema.ts), the same 29 tables with the same column names (tests/store-schemas.test.ts), chosen once
// per process by the store it runs on (db/dialect.ts). Core is typed against SQLite's tables; drizzle's query
// builders take either the same way, and db/access.ts runs what they build on either store.

import { storeDialect } from './dialect.ts';
import * as pg from './pg/schema.ts';
import * as sqlite from './sqlite/schema.ts';

export * from './sqlite/schema.ts';

const on = storeDialect() === 'postgres' ? (pg as unknown as typeof sqlite) : sqlite;

export const businessCalendars = on.businessCalendars;
export const calendarExceptions = on.calendarExceptions;
export const companies = on.companies;
export const contracts = on.contracts;
export const people = on.people;
export const memberships = on.memberships;
export const categories = on.categories;
export const tickets = on.tickets;
export const reportDays = on.reportDays;
export const ticketEvents = on.ticketEvents;
export const comments = on.comments;
export const attachments = on.attachments;
export const outbox = on.outbox;
export const conversationState = on.conversationState;
export const intakeDrafts = on.intakeDrafts;
export const handledUpdates = on.handledUpdates;
export const invites = on.invites;
export const messageRefs = on.messageRefs;
export const deskSettings = on.deskSettings;
export const ticketTopics = on.ticketTopics;
export const visitSlots = on.visitSlots;
export const cannedReplies = on.cannedReplies;
export const mailboxCursors = on.mailboxCursors;
export const mailQuarantine = on.mailQuarantine;
export const calls = on.calls;
export const publicHits = on.publicHits;
export const clientGroups = on.clientGroups;
export const groupTickets = on.groupTickets;
export const telegramBudget = on.telegramBudget;
