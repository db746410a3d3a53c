// Who is using the app (from GET /api/me) and what that lets them see.
import { createContext, useContext } from 'react';
import type { Category, Me } from './types.ts';

export interface Session {
  me: Me;
  categories: Category[];
  /** The person's first screen. */
  home: string;
  tabs: Tab[];
}

export type Tab = 'my' | 'company' | 'reports' | 'board' | 'call' | 'admin';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export function isManager(me: Me): boolean {
  return me.manages.length > 0;
}

/** The phone console's people: the 1st line, supervisors and admins (as core's canFileOnBehalf). */
export function takesCalls(me: Me): boolean {
  return me.roles.some((r) => r.role === 'line1' || r.role === 'supervisor' || r.role === 'admin');
}

export function tabsFor(me: Me): Tab[] {
  const tabs: Tab[] = [];
  if (me.staff) tabs.push('board');
  if (takesCalls(me)) tabs.push('call');
  if (!me.staff || me.roles.some((r) => r.role === 'client' || r.role === 'client_manager')) tabs.push('my');
  if (isManager(me) || me.staff) tabs.push('company', 'reports');
  if (me.admin) tabs.push('admin');
  return tabs;
}

export function homeFor(me: Me): string {
  if (me.staff) return '/board';
  if (isManager(me)) return '/company';
  return '/my';
}
