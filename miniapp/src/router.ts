// A tiny hash router. Telegram puts its launch parameters in the hash (#tgWebAppData=...); the SDK has read
// and saved them before the app starts, so the hash is free for routes like #/t/12 afterwards.
import { useSyncExternalStore } from 'react';

export interface Route {
  path: string;
  /** Path segments after the first: #/t/12 → name 't', params ['12']. */
  name: string;
  params: string[];
}

function currentPath(): string {
  const hash = location.hash;
  return hash.startsWith('#/') ? hash.slice(1) : '/';
}

let depth = 0;
let cached: Route | null = null;

function parse(path: string): Route {
  const [name = '', ...params] = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  return { path, name, params };
}

function snapshot(): Route {
  const path = currentPath();
  if (!cached || cached.path !== path) cached = parse(path);
  return cached;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

// --- where the page is scrolled ---------------------------------------------------------------------
// A new screen opens at its top (a list scrolled far down must not open a ticket half-way, with its header
// out of sight); going back returns to where that screen was left.

const scrolls = new Map<string, number>();
let arriving: 'top' | 'back' = 'top';

function leaving(): void {
  scrolls.set(currentPath(), window.scrollY);
}

/** Where the screen just navigated to should be scrolled (called once per route change). */
export function scrollTarget(path: string): number {
  const target = arriving === 'back' ? (scrolls.get(path) ?? 0) : 0;
  // A change nobody announced is the browser's own back or forward: restore.
  arriving = 'back';
  return target;
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (currentPath() === path) return;
  leaving();
  arriving = 'top';
  if (opts.replace) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}#${path}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    return;
  }
  depth++;
  location.hash = path;
}

/** Back within the app; from the first screen of a launch, to `home`. */
export function back(home: string): void {
  if (depth > 0) {
    depth--;
    leaving();
    arriving = 'back';
    history.back();
  } else {
    navigate(home, { replace: true });
  }
}

/** Query parameters of the current route (#/board?line=line1). */
export function routeQuery(route: Route): URLSearchParams {
  return new URLSearchParams(route.path.split('?')[1] ?? '');
}
