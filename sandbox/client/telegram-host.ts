// The page plays Telegram's part for the Mini App in the iframe: Telegram's web client talks to a Mini
// App through postMessage with `{ eventType, eventData }` JSON (telegram-web-app.js posts
// web_app_* events to its parent and listens for theme_changed, main_button_pressed, …). Handled here:
// theme and viewport, the main, secondary and back buttons, popups, links and close.

export { THEME } from '../theme.ts';

import { THEME } from '../theme.ts';

interface BottomButton {
  is_visible?: boolean;
  is_active?: boolean;
  is_progress_visible?: boolean;
  text?: string;
  color?: string;
  text_color?: string;
}

interface Popup {
  title?: string;
  message?: string;
  buttons?: { id?: string; type?: string; text?: string }[];
}

export interface TelegramHost {
  open(src: string): void;
  close(): void;
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

export function createHost(onClose: () => void, t: (key: string) => string): TelegramHost {
  let frame = byId<HTMLIFrameElement>('miniapp-frame');
  const back = byId<HTMLButtonElement>('miniapp-back');
  const main = byId<HTMLButtonElement>('main-button');
  const secondary = byId<HTMLButtonElement>('secondary-button');
  const popup = byId('popup');
  const popupTitle = byId('popup-title');
  const popupMessage = byId('popup-message');
  const popupButtons = byId('popup-buttons');

  const emit = (eventType: string, eventData?: unknown) =>
    frame.contentWindow?.postMessage(JSON.stringify({ eventType, eventData }), '*');

  const viewport = () =>
    emit('viewport_changed', {
      height: frame.clientHeight,
      width: frame.clientWidth,
      is_expanded: true,
      is_state_stable: true,
    });

  function setButton(button: HTMLButtonElement, params: BottomButton): void {
    button.hidden = params.is_visible !== true;
    button.disabled = params.is_active === false;
    button.textContent = params.is_progress_visible ? '…' : (params.text ?? '');
    button.style.background = params.color ?? '';
    button.style.color = params.text_color ?? '';
  }

  function showPopup(params: Popup): void {
    popup.hidden = false;
    popupTitle.textContent = params.title ?? '';
    popupMessage.textContent = params.message ?? '';
    const buttons = params.buttons?.length ? params.buttons : [{ id: '', type: 'close' }];
    popupButtons.replaceChildren(
      ...buttons.map((b) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = b.type === 'destructive' ? 'destructive' : '';
        button.textContent = b.text || t(b.type === 'cancel' ? 'sandbox-popup-cancel' : 'sandbox-popup-ok');
        button.addEventListener('click', () => {
          popup.hidden = true;
          emit('popup_closed', { button_id: b.id ?? '' });
        });
        return button;
      }),
    );
  }

  const handlers: Record<string, (data: Record<string, unknown>) => void> = {
    iframe_ready: () => {
      emit('theme_changed', { theme_params: THEME });
      viewport();
    },
    web_app_request_theme: () => emit('theme_changed', { theme_params: THEME }),
    web_app_request_viewport: viewport,
    web_app_request_safe_area: () => emit('safe_area_changed', { top: 0, bottom: 0, left: 0, right: 0 }),
    web_app_request_content_safe_area: () =>
      emit('content_safe_area_changed', { top: 0, bottom: 0, left: 0, right: 0 }),
    web_app_setup_main_button: (data) => setButton(main, data),
    web_app_setup_secondary_button: (data) => setButton(secondary, data),
    web_app_setup_back_button: (data) => {
      back.hidden = data.is_visible !== true;
    },
    web_app_open_popup: (data) => showPopup(data as Popup),
    web_app_open_link: (data) => {
      if (typeof data.url === 'string' && /^https?:\/\//.test(data.url))
        window.open(data.url, '_blank', 'noopener');
    },
    web_app_close: () => onClose(),
    web_app_request_write_access: () => emit('write_access_requested', { status: 'allowed' }),
    web_app_read_text_from_clipboard: (data) => emit('clipboard_text_received', { req_id: data.req_id }),
    web_app_invoke_custom_method: (data) =>
      emit('custom_method_invoked', { req_id: data.req_id, error: 'UNSUPPORTED' }),
  };

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || typeof event.data !== 'string') return;
    let parsed: { eventType?: unknown; eventData?: unknown };
    try {
      parsed = JSON.parse(event.data) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.eventType !== 'string') return;
    const data = typeof parsed.eventData === 'object' && parsed.eventData !== null ? parsed.eventData : {};
    handlers[parsed.eventType]?.(data as Record<string, unknown>);
  });
  main.addEventListener('click', () => emit('main_button_pressed'));
  secondary.addEventListener('click', () => emit('secondary_button_pressed'));
  back.addEventListener('click', () => emit('back_button_pressed'));
  window.addEventListener('resize', viewport);

  return {
    open(src) {
      for (const button of [main, secondary, back]) button.hidden = true;
      popup.hidden = true;
      // A fresh frame each time: a new person or button must load the app again, not change its hash.
      const fresh = document.createElement('iframe');
      fresh.id = frame.id;
      fresh.title = frame.title;
      fresh.src = src;
      frame.replaceWith(fresh);
      frame = fresh;
    },
    close() {
      frame.src = 'about:blank';
      popup.hidden = true;
    },
  };
}
