// The Telegram side of the Mini App: launch parameters, the native Main and Back buttons, haptics.
// Opened outside Telegram (platform "unknown") the screens draw their own buttons instead.
import SDK from '@twa-dev/sdk';
import { useEffect, useRef } from 'react';

/**
 * The SDK is CommonJS with `exports.default = WebApp`. This project is `"type": "module"`, so Vite 8 gives
 * the importer `module.exports` itself as the default, as Node does; older interop unwraps it. Take both.
 */
export const WebApp: typeof SDK =
  typeof (SDK as { ready?: unknown }).ready === 'function'
    ? SDK
    : (SDK as unknown as { default: typeof SDK }).default;

/** True inside a Telegram client, which draws the Main and Back buttons natively. */
export const inTelegram = WebApp.platform !== 'unknown';

/** `t<id>` from the bot's deep link, or `?ticket=<id>` in the URL. */
export function startTicketId(): number | null {
  const param = WebApp.initDataUnsafe?.start_param ?? '';
  const fromParam = /^t(\d+)$/.exec(param)?.[1];
  const fromQuery = new URLSearchParams(location.search).get('ticket');
  const id = Number(fromParam ?? fromQuery ?? Number.NaN);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function telegramLanguage(): string | undefined {
  return WebApp.initDataUnsafe?.user?.language_code;
}

type Impact = 'light' | 'medium' | 'heavy';

export const haptic = {
  tap(style: Impact = 'light'): void {
    if (inTelegram) WebApp.HapticFeedback.impactOccurred(style);
  },
  success(): void {
    if (inTelegram) WebApp.HapticFeedback.notificationOccurred('success');
  },
  error(): void {
    if (inTelegram) WebApp.HapticFeedback.notificationOccurred('error');
  },
  select(): void {
    if (inTelegram) WebApp.HapticFeedback.selectionChanged();
  },
};

export interface MainAction {
  text: string;
  onClick: () => void;
  disabled?: boolean;
  busy?: boolean;
}

/**
 * Shows the native Main Button for this screen's main action while the component is mounted. The click
 * handler is read through a ref so re-renders do not re-subscribe.
 */
export function useMainButton(action: MainAction | null): void {
  const handler = useRef<() => void>(() => {});
  handler.current = action?.onClick ?? (() => {});
  const text = action?.text;
  const disabled = action?.disabled ?? false;
  const busy = action?.busy ?? false;
  useEffect(() => {
    if (!inTelegram || text === undefined) return;
    const onClick = () => handler.current();
    const mb = WebApp.MainButton;
    mb.onClick(onClick);
    return () => {
      mb.offClick(onClick);
      mb.hide();
    };
  }, [text]);
  useEffect(() => {
    if (!inTelegram || text === undefined) return;
    const mb = WebApp.MainButton;
    mb.setParams({
      text,
      is_visible: true,
      color: disabled
        ? cssVar('--tg-theme-hint-color', '#999999')
        : cssVar('--tg-theme-button-color', '#2481cc'),
      text_color: cssVar('--tg-theme-button-text-color', '#ffffff'),
    });
    // hideProgress() re-activates the button: set the state after it.
    if (busy) mb.showProgress(false);
    else {
      if (mb.isProgressVisible) mb.hideProgress();
      mb.setParams({ is_active: !disabled });
    }
  }, [text, disabled, busy]);
}

/** Shows the native Back Button while mounted (when `onBack` is given). */
export function useBackButton(onBack: (() => void) | null): void {
  const handler = useRef<() => void>(() => {});
  handler.current = onBack ?? (() => {});
  const visible = onBack !== null;
  useEffect(() => {
    if (!inTelegram || !visible) return;
    const onClick = () => handler.current();
    const bb = WebApp.BackButton;
    bb.onClick(onClick);
    bb.show();
    return () => {
      bb.offClick(onClick);
      bb.hide();
    };
  }, [visible]);
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return /^#[0-9a-f]{6}$/i.test(value) ? value : fallback;
}

/** Once, at start: tell Telegram we are ready, take the whole height, colour the header. */
export function startTelegram(): void {
  if (!inTelegram) return;
  WebApp.ready();
  WebApp.expand();
  try {
    WebApp.setHeaderColor('secondary_bg_color');
    WebApp.setBackgroundColor('secondary_bg_color');
  } catch {
    // Old clients without these methods: the defaults are fine.
  }
}
