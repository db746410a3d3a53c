// The shell: the tabs a person's roles open, and the screen of the current route.
import { lazy, type ReactNode, Suspense, useLayoutEffect } from 'react';
import { t } from './i18n.ts';
import { back, navigate, scrollTarget, useRoute } from './router.ts';
import { MyTickets } from './screens/MyTickets.tsx';
import { type Session, SessionContext, type Tab } from './session.ts';
import { haptic, useBackButton } from './telegram.ts';
import { Spinner, Toast } from './ui/common.tsx';

// Everything but the client's list loads on demand (and is fetched in the background after start).
const loadTicketView = () => import('./screens/TicketView.tsx');
const loadNewTicket = () => import('./screens/NewTicket.tsx');
const TicketView = lazy(loadTicketView);
const NewTicket = lazy(loadNewTicket);
const Board = lazy(() => import('./screens/Board.tsx'));
const CompanyTickets = lazy(() => import('./screens/CompanyTickets.tsx'));
const Reports = lazy(() => import('./screens/Reports.tsx'));
const Admin = lazy(() => import('./screens/Admin.tsx'));
const PhoneCall = lazy(() => import('./screens/PhoneCall.tsx'));

const TAB_PATH: Record<Tab, string> = {
  my: '/my',
  company: '/company',
  reports: '/reports',
  board: '/board',
  call: '/call',
  admin: '/admin',
};

function Tabs({ session, current }: { session: Session; current: string }) {
  if (session.tabs.length < 2) return null;
  return (
    <nav className="tabs">
      {session.tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          data-tab={tab}
          aria-current={current === tab ? 'page' : undefined}
          onClick={() => {
            haptic.select();
            navigate(TAB_PATH[tab], { replace: true });
          }}
        >
          {t(`app-tab-${tab === 'company' && session.me.staff ? 'all' : tab}`)}
        </button>
      ))}
    </nav>
  );
}

/** Scrolls to `y` once the screen is tall enough (its data may still be loading), giving up after a second. */
function restoreScroll(y: number): void {
  window.scrollTo(0, y);
  if (y === 0) return;
  const until = performance.now() + 1000;
  const again = () => {
    if (Math.abs(window.scrollY - y) < 2 || performance.now() > until) return;
    window.scrollTo(0, y);
    requestAnimationFrame(again);
  };
  requestAnimationFrame(again);
}

/** Warms the cache with the screens a person is likely to open next, once the first one is drawn. */
export function prefetchScreens(session: Session): void {
  const idle = (fn: () => void) =>
    'requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: 3000 }) : setTimeout(fn, 1500);
  idle(() => {
    void loadTicketView();
    if (!session.me.staff) void loadNewTicket();
  });
}

export function App({ session }: { session: Session }) {
  const route = useRoute();
  const isTab =
    (session.tabs as string[]).includes(route.name) && (route.params.length === 0 || route.name === 'admin');
  const name = route.name || session.home.slice(1);
  useBackButton(isTab || !route.name ? null : () => back(session.home));
  useLayoutEffect(() => restoreScroll(scrollTarget(route.path)), [route.path]);

  let screen: ReactNode;
  switch (name) {
    case 'my':
      screen = <MyTickets />;
      break;
    case 'new':
      screen = <NewTicket />;
      break;
    case 't':
      screen = <TicketView key={route.params[0]} id={Number(route.params[0])} />;
      break;
    case 'company':
      screen = <CompanyTickets />;
      break;
    case 'reports':
      screen = <Reports />;
      break;
    case 'board':
      screen = <Board />;
      break;
    case 'call':
      screen = session.tabs.includes('call') ? (
        <PhoneCall />
      ) : (
        <div className="empty">{t('app-not-found')}</div>
      );
      break;
    case 'admin':
      screen = session.tabs.includes('admin') ? (
        <Admin section={route.params[0] ?? null} />
      ) : (
        <div className="empty">{t('app-not-found')}</div>
      );
      break;
    default:
      screen = <div className="empty">{t('app-not-found')}</div>;
  }

  return (
    <SessionContext.Provider value={session}>
      {isTab ? <Tabs session={session} current={route.name} /> : null}
      <Suspense fallback={<Spinner />}>{screen}</Suspense>
      <Toast />
    </SessionContext.Provider>
  );
}
