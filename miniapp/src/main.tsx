// Start-up: tell Telegram we are here, learn who the person is and which language they read, then draw.
import { createRoot } from 'react-dom/client';
import { App, prefetchScreens } from './App.tsx';
import { api, listOf, prefetch } from './api.ts';
import { preloadLanguage, setLanguage, t } from './i18n.ts';
import { navigate } from './router.ts';
import { homeFor, type Session, tabsFor } from './session.ts';
import { inTelegram, startTelegram, startTicketId, telegramLanguage } from './telegram.ts';
import type { Category, Language, Me } from './types.ts';
import { errorText } from './ui/common.tsx';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

async function boot(): Promise<void> {
  startTelegram();
  if (!inTelegram) document.body.classList.add('outside-telegram');
  // Telegram tells the person's language; opened elsewhere (a browser), the browser does.
  const fromTelegram = telegramLanguage();
  const guess: Language =
    fromTelegram !== undefined
      ? fromTelegram === 'en'
        ? 'en'
        : 'ru'
      : /^(ru|uk|be|kk)\b/i.test(navigator.language || 'ru')
        ? 'ru'
        : 'en';
  void preloadLanguage(guess);
  // Most people open the app to see their requests: ask for them beside /api/me, not after it.
  if (!startTicketId()) prefetch('/api/tickets', { mine: 1, limit: 50 });
  let me: Me;
  let categories: Category[];
  try {
    [me, categories] = await Promise.all([
      api<Me>('/api/me'),
      api<unknown>('/api/categories').then((body) => listOf<Category>(body)),
    ]);
  } catch (e) {
    await setLanguage(guess);
    document.title = t('app-outside-telegram-title');
    // Outside Telegram there is no signed launch: say where to open the app, without the server's words.
    root.render(
      <div className="screen" data-screen="outside">
        <div className="empty" role="alert">
          <h1>{t(inTelegram ? 'app-title' : 'app-outside-telegram-title')}</h1>
          {inTelegram ? t('app-open-in-telegram') : t('app-outside-telegram')}
          {inTelegram ? (
            <>
              <br />
              <span className="hint">{errorText(e)}</span>
            </>
          ) : null}
        </div>
      </div>,
    );
    return;
  }
  await setLanguage(guess === 'en' || me.language === 'en' ? 'en' : 'ru');
  document.title = t('app-title');
  const session: Session = { me, categories, home: homeFor(me), tabs: tabsFor(me) };
  const ticket = startTicketId();
  // A call's card in Telegram opens the app at ?call=<callId>&phone=<number>: the console, at that caller.
  const phone = new URLSearchParams(location.search).get('phone');
  if (ticket) navigate(`/t/${ticket}`, { replace: true });
  else if (phone && session.tabs.includes('call')) {
    const call = new URLSearchParams(location.search).get('call');
    const query = new URLSearchParams({
      phone: phone.slice(0, 64),
      ...(call ? { call: call.slice(0, 250) } : {}),
    });
    navigate(`/call?${query}`, { replace: true });
  } else if (!location.hash.startsWith('#/')) navigate(session.home, { replace: true });
  root.render(<App session={session} />);
  prefetchScreens(session);
}

void boot();
