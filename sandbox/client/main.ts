// The sandbox page: a Telegram-like chat with the bot as a demo person (or a stranger made up on the
// spot), and the Mini App beside it; below 900 px one of the panes at a time. In the chat's place, the
// mail panel: a mail to the desk as anyone, and the desk's mails to that address; or the website form panel:
// the desk's real public form page in a phone-sized frame, and the line that embeds it in a site. Under the
// people, a call
// to the desk (rung, answered by the 1st line or hung up) as its phone system reports it. Everything it shows
// comes from the sandbox server (/sandbox/api/…), which drives the local Bot API emulator the real bot
// talks to; chat updates arrive over server-sent events. A client company's group is a chat too: the page
// posts in it as any of its members, picked under the messages.
import type {
  ButtonView,
  CallView,
  ChatView,
  EntityView,
  GroupView,
  KeyButtonView,
  MailResultView,
  MailView,
  MessageView,
  MiniAppView,
  PersonView,
  SentMailView,
  SessionView,
  WebformView,
  WrittenMailView,
} from '../types.ts';
import { drawPhoto } from './photo.ts';
import { createHost, THEME } from './telegram-host.ts';

const API = '/sandbox/api';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

const ui = {
  title: element('title'),
  subtitle: element('subtitle'),
  languages: element('languages'),
  peopleTitle: element('people-title'),
  people: element<HTMLUListElement>('people'),
  newStranger: element<HTMLButtonElement>('new-stranger'),
  layout: element('layout'),
  panes: element('panes'),
  paneMiniApp: element<HTMLButtonElement>('pane-miniapp'),
  chatAvatar: element('chat-avatar'),
  botName: element('bot-name'),
  chatSubtitle: element('chat-subtitle'),
  openApp: element<HTMLButtonElement>('open-app'),
  offline: element('offline'),
  messages: element('messages'),
  speakerRow: element('speaker-row'),
  speakerLabel: element('speaker-label'),
  speaker: element<HTMLSelectElement>('speaker'),
  replyBar: element('reply-bar'),
  replyLabel: element('reply-label'),
  replyText: element('reply-text'),
  replyCancel: element<HTMLButtonElement>('reply-cancel'),
  composer: element<HTMLFormElement>('composer'),
  menuButton: element<HTMLButtonElement>('menu-button'),
  commandsButton: element<HTMLButtonElement>('commands-button'),
  attachButton: element<HTMLButtonElement>('attach-button'),
  attachMenu: element('attach-menu'),
  input: element<HTMLInputElement>('input'),
  keyboardToggle: element<HTMLButtonElement>('keyboard-toggle'),
  send: element<HTMLButtonElement>('send'),
  sendLabel: element('send-label'),
  commands: element('commands'),
  replyKeyboard: element('reply-keyboard'),
  miniApp: element('miniapp'),
  miniAppTitle: element('miniapp-title'),
  miniAppClose: element<HTMLButtonElement>('miniapp-close'),
  miniAppNote: element('miniapp-note'),
  toast: element('toast'),
  openMail: element<HTMLButtonElement>('open-mail'),
  openMailTitle: element('open-mail-title'),
  openMailHint: element('open-mail-hint'),
  mailTitle: element('mail-title'),
  mailSubtitle: element('mail-subtitle'),
  mailForm: element<HTMLFormElement>('mail-form'),
  mailFrom: element<HTMLSelectElement>('mail-from'),
  mailOther: element('mail-other'),
  mailAddress: element<HTMLInputElement>('mail-address'),
  mailName: element<HTMLInputElement>('mail-name'),
  mailTo: element('mail-to'),
  mailReplyBar: element('mail-reply-bar'),
  mailReplyText: element('mail-reply-text'),
  mailReplyCancel: element<HTMLButtonElement>('mail-reply-cancel'),
  mailSubject: element<HTMLInputElement>('mail-subject'),
  mailText: element<HTMLTextAreaElement>('mail-text'),
  mailFile: element<HTMLInputElement>('mail-file'),
  mailSend: element<HTMLButtonElement>('mail-send'),
  mailResult: element('mail-result'),
  mailListTitle: element('mail-list-title'),
  mailNotCaptured: element('mail-not-captured'),
  mailList: element<HTMLOListElement>('mail-list'),
  callFrom: element<HTMLSelectElement>('call-from'),
  callOther: element('call-other'),
  callNumber: element<HTMLInputElement>('call-number'),
  callRing: element<HTMLButtonElement>('call-ring'),
  callLive: element('call-live'),
  callAnswerer: element<HTMLSelectElement>('call-answerer'),
  callAnswer: element<HTMLButtonElement>('call-answer'),
  callHangup: element<HTMLButtonElement>('call-hangup'),
  callStatus: element('call-status'),
  callOpenChat: element<HTMLButtonElement>('call-open-chat'),
  openWebform: element<HTMLButtonElement>('open-webform'),
  openWebformTitle: element('open-webform-title'),
  openWebformHint: element('open-webform-hint'),
  webformOff: element('webform-off'),
  webformFrame: element<HTMLIFrameElement>('webform-frame'),
  webformSnippet: element('webform-snippet'),
  webformCopy: element<HTMLButtonElement>('webform-copy'),
  webformCopied: element('webform-copied'),
  webformOpenChat: element<HTMLButtonElement>('webform-open-chat'),
  webformReload: element<HTMLButtonElement>('webform-reload'),
  webformOpenTab: element<HTMLButtonElement>('webform-open-tab'),
};

interface State {
  session: SessionView | undefined;
  person: PersonView | undefined;
  /** The group in view (then `person` is undefined), and the member the page posts as. */
  group: GroupView | undefined;
  speaker: number;
  chat: ChatView | undefined;
  events: EventSource | undefined;
  replyTo: { id: number; text: string } | undefined;
  /** The force-reply prompt a reply was last started for, so closing that reply sticks. */
  promptAnswered: number;
  keyboardHidden: boolean;
  /** The reply keyboard last shown: a new one shows even after a one-time keyboard was hidden. */
  keyboardShown: string;
  /** Presses of this page waiting for the bot's answer (a toast). */
  pressed: Set<string>;
  /** The mail panel's lists, pushed by the server once the panel was first opened. */
  mail: MailView | undefined;
  mailEvents: EventSource | undefined;
  /** The desk's mail being answered. */
  mailReplyTo: SentMailView | undefined;
  /** The call made in the call box, as the desk last recorded it. */
  call: CallView | undefined;
  /** The desk's website form, asked for once the form panel was first opened. */
  webform: WebformView | undefined;
}

const state: State = {
  session: undefined,
  person: undefined,
  group: undefined,
  speaker: 0,
  chat: undefined,
  events: undefined,
  replyTo: undefined,
  promptAnswered: 0,
  keyboardHidden: false,
  keyboardShown: '',
  pressed: new Set(),
  mail: undefined,
  mailEvents: undefined,
  mailReplyTo: undefined,
  call: undefined,
  webform: undefined,
};

const t = (key: string): string => state.session?.texts[key] ?? key;

// ----------------------------------------------------------------------------------------- requests

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${API}${path}`, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${response.status}`);
  return body;
}

const post = <T>(path: string, body: unknown) =>
  request<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function fail(error: unknown): void {
  showToast(`${t('sandbox-error')} ${error instanceof Error ? error.message : String(error)}`, true);
}

// ------------------------------------------------------------------------------------------ session

function pickLanguage(): 'ru' | 'en' {
  const saved = localStorage.getItem('sandbox-language');
  if (saved === 'ru' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

async function loadSession(language: 'ru' | 'en'): Promise<void> {
  state.session = await request<SessionView>(`/session?lang=${language}`);
  document.documentElement.lang = state.session.language;
  document.title = t('sandbox-title');
  ui.title.textContent = t('sandbox-title');
  ui.subtitle.textContent = t('sandbox-subtitle');
  ui.peopleTitle.textContent = t('sandbox-people');
  ui.botName.textContent = state.session.bot.name;
  ui.openApp.textContent = t('sandbox-open-miniapp');
  ui.input.placeholder = t('sandbox-input-placeholder');
  ui.sendLabel.textContent = t('sandbox-send');
  ui.send.setAttribute('aria-label', t('sandbox-send'));
  ui.attachButton.title = t('sandbox-attach');
  ui.attachButton.setAttribute('aria-label', t('sandbox-attach'));
  for (const [kind, icon] of ATTACHMENTS) {
    const item = element(`attach-${kind}`);
    item.textContent = `${icon} ${t(`sandbox-attach-${kind}`)}`;
    if (kind === 'photo') item.title = t('sandbox-send-photo');
  }
  for (const button of ui.panes.querySelectorAll<HTMLButtonElement>('button')) {
    button.textContent = t(`sandbox-pane-${button.dataset.pane}`);
  }
  ui.newStranger.textContent = `+ ${t('sandbox-new-stranger')}`;
  ui.newStranger.title = t('sandbox-new-stranger-hint');
  ui.commandsButton.title = t('sandbox-commands');
  ui.commandsButton.setAttribute('aria-label', t('sandbox-commands'));
  ui.keyboardToggle.title = t('sandbox-keyboard');
  ui.keyboardToggle.setAttribute('aria-label', t('sandbox-keyboard'));
  ui.replyLabel.textContent = t('sandbox-replying-to');
  ui.speakerLabel.textContent = t('sandbox-group-speaker');
  ui.replyCancel.setAttribute('aria-label', t('sandbox-cancel-reply'));
  ui.miniAppClose.setAttribute('aria-label', t('sandbox-close-miniapp'));
  ui.offline.textContent = t('sandbox-offline');
  for (const button of ui.languages.querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === state.session.language));
    button.title = t('sandbox-language-hint');
  }
  renderPeople();
  applyMailTexts();
  applyCallTexts();
  applyWebformTexts();
  if (ui.layout.dataset.center === 'mail' || (!state.person && location.hash === '#mail')) {
    openMail();
    return;
  }
  if (ui.layout.dataset.center === 'webform' || (!state.person && location.hash === '#webform')) {
    openWebform();
    return;
  }
  const hash = new URLSearchParams(location.hash.slice(1));
  const wanted = Number(hash.get('chat'));
  const wantedGroup = Number(hash.get('group'));
  const group = state.session.groups.find((g) => g.id === (state.group?.id ?? wantedGroup));
  const person = state.session.people.find((p) => p.id === (state.person?.id ?? wanted));
  if (group && !state.person) selectGroup(group);
  else if (person) selectPerson(person);
  else renderChat();
}

function renderPeople(): void {
  ui.openMail.setAttribute('aria-pressed', String(ui.layout.dataset.center === 'mail'));
  ui.openWebform.setAttribute('aria-pressed', String(ui.layout.dataset.center === 'webform'));
  const people = state.session?.people ?? [];
  ui.people.replaceChildren(
    ...(state.session?.groups ?? []).map(groupItem),
    ...people.map((person) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'person';
      button.dataset.person = String(person.id);
      button.setAttribute(
        'aria-pressed',
        String(person.id === state.person?.id && ui.layout.dataset.center === 'chat'),
      );
      const name = document.createElement('strong');
      name.textContent = person.name;
      const role = document.createElement('span');
      role.className = 'role';
      role.textContent = [person.roleName, person.company].filter(Boolean).join(' · ');
      button.append(name, role);
      button.addEventListener('click', () => selectPerson(person));
      item.append(button);
      return item;
    }),
  );
}

/** A group in the list of chats, above the people. */
function groupItem(group: GroupView): HTMLLIElement {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'person group';
  button.dataset.group = String(group.id);
  button.setAttribute(
    'aria-pressed',
    String(group.id === state.group?.id && ui.layout.dataset.center === 'chat'),
  );
  const name = document.createElement('strong');
  name.textContent = `👥 ${group.title}`;
  const about = document.createElement('span');
  about.className = 'role';
  about.textContent = `${t('sandbox-group')} · ${group.company}`;
  button.append(name, about);
  button.addEventListener('click', () => selectGroup(group));
  item.append(button);
  return item;
}

function selectGroup(group: GroupView): void {
  if (state.group?.id !== group.id) {
    state.chat = undefined;
    state.replyTo = undefined;
    state.promptAnswered = 0;
    state.pressed.clear();
    closeMiniApp();
  }
  if (state.group?.id !== group.id || ui.layout.dataset.center !== 'chat') {
    history.replaceState(null, '', `#group=${group.id}`);
    showPane('chat');
  }
  state.person = undefined;
  state.group = group;
  if (!group.members.some((m) => m.id === state.speaker)) state.speaker = group.members[0]?.id ?? 0;
  renderPeople();
  renderChatHeader();
  ui.commands.hidden = true;
  subscribe(`/groups/${group.id}/events`);
  renderChat();
  ui.input.focus();
}

/** The chat's header and what its composer offers: a private chat's, or a group's with its speaker. */
function renderChatHeader(): void {
  const group = state.group;
  ui.chatAvatar.textContent = group ? '👥' : '🤖';
  ui.botName.textContent = group ? group.title : (state.session?.bot.name ?? '');
  ui.chatSubtitle.textContent = group
    ? t('sandbox-group-subtitle')
    : `${t('sandbox-chatting-as')} ${state.person?.name ?? ''}`;
  // Telegram opens Mini Apps and lists a bot's commands in private chats; voice and stickers are chatter.
  ui.openApp.hidden = group !== undefined;
  ui.commandsButton.hidden = group !== undefined;
  element('attach-voice').hidden = group !== undefined;
  element('attach-sticker').hidden = group !== undefined;
  ui.speakerRow.hidden = !group;
  if (!group) return;
  ui.speaker.replaceChildren(
    ...group.members.map((member) =>
      Object.assign(document.createElement('option'), {
        value: String(member.id),
        textContent: `${member.name} · ${member.roleName}`,
      }),
    ),
  );
  ui.speaker.value = String(state.speaker);
}

/** Where the chat in view is on the server: /chats/<person> or /groups/<group>. */
function chatPath(): string | undefined {
  if (state.group) return `/groups/${state.group.id}`;
  if (state.person) return `/chats/${state.person.id}`;
  return undefined;
}

/** Who speaks in the group in view (a member's name for the drawn photo). */
const speakerName = () => state.group?.members.find((m) => m.id === state.speaker)?.name ?? '';

function selectPerson(person: PersonView): void {
  if (state.person?.id !== person.id) {
    state.chat = undefined;
    state.replyTo = undefined;
    state.promptAnswered = 0;
    state.pressed.clear();
    closeMiniApp();
  }
  if (state.person?.id !== person.id || ui.layout.dataset.center !== 'chat') {
    history.replaceState(null, '', `#chat=${person.id}`);
    showPane('chat');
  }
  state.person = person;
  state.group = undefined;
  renderPeople();
  renderChatHeader();
  ui.commands.hidden = true;
  subscribe(`/chats/${person.id}/events`);
  renderChat();
  ui.input.focus();
}

function subscribe(path: string): void {
  state.events?.close();
  const events = new EventSource(`${API}${path}`);
  state.events = events;
  events.addEventListener('chat', (event) => {
    if (state.events !== events) return;
    ui.offline.hidden = true;
    state.chat = JSON.parse((event as MessageEvent<string>).data) as ChatView;
    renderChat();
  });
  events.addEventListener('error', () => {
    if (state.events === events) ui.offline.hidden = false;
  });
}

// --------------------------------------------------------------------------------------------- chat

function renderChat(): void {
  const chat = state.chat;
  const chatId = state.group?.id ?? state.person?.id;
  ui.composer.classList.toggle('disabled', chatId === undefined);
  ui.input.disabled = chatId === undefined;
  if (chatId === undefined) {
    ui.messages.replaceChildren(note(t('sandbox-pick-person')));
    ui.replyKeyboard.hidden = true;
    ui.menuButton.hidden = true;
    ui.replyBar.hidden = true;
    return;
  }
  if (!chat) {
    ui.messages.replaceChildren(note(t('sandbox-loading')));
    return;
  }
  startReplyToPrompt(chat);
  if (ui.messages.dataset.chat !== String(chatId)) stickToBottom = true;
  const restarted = chat.restarted ? [note(t('sandbox-restarted'), 'restarted')] : [];
  ui.messages.replaceChildren(
    ...restarted,
    ...(chat.messages.length ? chat.messages.map(renderMessage) : [note(t('sandbox-empty-chat'))]),
  );
  ui.messages.dataset.chat = String(chatId);
  keepAtBottom();
  renderReplyBar();
  renderKeyboard(chat);
  ui.menuButton.hidden = !chat.menuButton;
  ui.menuButton.textContent = chat.menuButton?.text ?? '';
  showAnswers(chat);
}

/** Whether the chat follows new messages: until the person scrolls up, as in Telegram. */
let stickToBottom = true;

function keepAtBottom(): void {
  if (stickToBottom) ui.messages.scrollTop = ui.messages.scrollHeight;
}

ui.messages.addEventListener('scroll', () => {
  stickToBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
});
// The Mini App opening beside the chat narrows it, and photos load late: both make the messages taller.
new ResizeObserver(keepAtBottom).observe(ui.messages);

function note(text: string, kind?: string): HTMLElement {
  const div = document.createElement('div');
  div.className = kind ? `note ${kind}` : 'note';
  div.textContent = text;
  return div;
}

/** As a Telegram client does: a bot message asking for a reply (force_reply) starts one. */
function startReplyToPrompt(chat: ChatView): void {
  const last = chat.messages.at(-1);
  if (!last || last.mine || !last.forceReply || state.promptAnswered >= last.id) return;
  state.promptAnswered = last.id;
  state.replyTo = { id: last.id, text: firstLine(last) };
  ui.input.placeholder = last.forceReply.placeholder ?? t('sandbox-input-placeholder');
  ui.input.focus();
}

const firstLine = (m: MessageView) =>
  (m.text ?? m.caption ?? (m.photo ? t('sandbox-photo') : '…')).split('\n')[0] ?? '';

/** In a group the speaker's messages are the page's own; elsewhere the server says which are. */
const isMine = (message: MessageView) =>
  message.sender ? !message.sender.bot && message.sender.id === state.speaker : message.mine;

function renderMessage(message: MessageView): HTMLElement {
  const mine = isMine(message);
  const row = document.createElement('div');
  row.className = `message ${mine ? 'mine' : 'theirs'}`;
  row.dataset.id = String(message.id);
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (message.sender && !mine) {
    const sender = document.createElement('div');
    sender.className = 'sender';
    sender.textContent = message.sender.name;
    bubble.append(sender);
  }
  if (message.replyTo) {
    const quote = document.createElement('button');
    quote.type = 'button';
    quote.className = 'quote';
    const who = document.createElement('strong');
    who.textContent =
      message.replyTo.name ?? (message.replyTo.mine ? t('sandbox-you') : (state.session?.bot.name ?? ''));
    const text = document.createElement('span');
    text.textContent = message.replyTo.text;
    quote.append(who, text);
    const target = message.replyTo.id;
    quote.addEventListener('click', () =>
      ui.messages.querySelector(`[data-id="${target}"]`)?.scrollIntoView({ block: 'center' }),
    );
    bubble.append(quote);
  }
  const path = chatPath();
  if (message.photo && path) {
    const img = document.createElement('img');
    img.className = 'photo';
    img.alt = t('sandbox-photo');
    img.width = Math.min(320, message.photo.width);
    img.height = Math.round((img.width * message.photo.height) / message.photo.width);
    img.addEventListener('load', keepAtBottom);
    img.src = `${API}${path}/files/${encodeURIComponent(message.photo.fileId)}`;
    bubble.append(img);
  }
  const attachment = attachmentLine(message);
  if (attachment) {
    const div = document.createElement('div');
    div.className = 'attachment';
    div.textContent = attachment;
    bubble.append(div);
  }
  const body = message.text ?? message.caption;
  if (body !== undefined) {
    const div = document.createElement('div');
    div.className = 'text';
    div.append(
      formatted(body, (message.text !== undefined ? message.entities : message.captionEntities) ?? []),
    );
    bubble.append(div);
  }
  const meta = document.createElement('div');
  meta.className = 'meta';
  const time = new Date(message.date * 1000).toLocaleTimeString(state.session?.language, {
    hour: '2-digit',
    minute: '2-digit',
  });
  meta.textContent = message.edited ? `${t('sandbox-edited')} ${time}` : time;
  const reply = document.createElement('button');
  reply.type = 'button';
  reply.className = 'reply-action';
  reply.textContent = '↩';
  reply.title = t('sandbox-reply');
  reply.setAttribute('aria-label', t('sandbox-reply'));
  reply.addEventListener('click', () => {
    state.replyTo = { id: message.id, text: firstLine(message) };
    renderReplyBar();
    ui.input.focus();
  });
  meta.append(reply);
  bubble.append(meta);
  row.append(bubble);
  if (message.buttons) row.append(inlineKeyboard(message));
  return row;
}

function attachmentLine(message: MessageView): string | undefined {
  if (message.document) return `📄 ${message.document.fileName}`;
  if (message.voice) return `🎤 ${t('sandbox-voice')} · ${message.voice.duration}s`;
  if (message.sticker) return `${message.sticker.emoji ?? ''} ${t('sandbox-sticker')}`.trim();
  if (message.contact) return `👤 ${t('sandbox-contact')}: ${message.contact.name}, ${message.contact.phone}`;
  return undefined;
}

/** Telegram's entities as HTML elements; nested ones nest, overlapping ones keep the outer. */
function formatted(text: string, entities: EntityView[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  renderRange(text, sorted, 0, text.length, fragment);
  return fragment;
}

function renderRange(text: string, entities: EntityView[], start: number, end: number, into: Node): void {
  let position = start;
  let rest = entities.filter((e) => e.offset >= start && e.offset + e.length <= end);
  while (rest.length > 0) {
    const [entity, ...others] = rest as [EntityView, ...EntityView[]];
    if (entity.offset < position) {
      rest = others;
      continue;
    }
    into.appendChild(document.createTextNode(text.slice(position, entity.offset)));
    const stop = entity.offset + entity.length;
    const node = entityElement(entity, text.slice(entity.offset, stop));
    renderRange(
      text,
      others.filter((e) => e.offset < stop),
      entity.offset,
      stop,
      node,
    );
    into.appendChild(node);
    position = stop;
    rest = others.filter((e) => e.offset >= stop);
  }
  into.appendChild(document.createTextNode(text.slice(position, end)));
}

const TAGS: Record<string, string> = {
  bold: 'b',
  italic: 'i',
  underline: 'u',
  strikethrough: 's',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  expandable_blockquote: 'blockquote',
};

function entityElement(entity: EntityView, content: string): HTMLElement {
  const tag = TAGS[entity.type];
  if (tag) return document.createElement(tag);
  if (entity.type === 'text_link' || entity.type === 'url') {
    const href = entity.type === 'url' ? content : (entity.url ?? '');
    if (/^https?:\/\//i.test(href)) {
      const a = document.createElement('a');
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
  }
  if (entity.type === 'bot_command') {
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'command';
    a.addEventListener('click', (event) => {
      event.preventDefault();
      void sendText(content.replace(/@\w+$/, ''));
    });
    return a;
  }
  const span = document.createElement('span');
  span.className = entity.type;
  return span;
}

function inlineKeyboard(message: MessageView): HTMLElement {
  const keyboard = document.createElement('div');
  keyboard.className = 'inline-keyboard';
  for (const row of message.buttons ?? []) {
    const line = document.createElement('div');
    line.className = 'row';
    for (const button of row) line.append(inlineButton(message, button));
    keyboard.append(line);
  }
  return keyboard;
}

function inlineButton(message: MessageView, button: ButtonView): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `inline-button ${button.kind}`;
  element.textContent = button.kind === 'url' ? `${button.text} ↗` : button.text;
  element.addEventListener('click', () => {
    if (button.kind === 'callback') void press(message.id, button.data);
    else if (button.kind === 'url') window.open(button.url, '_blank', 'noopener');
    else if (button.kind === 'web_app') void openMiniApp(button.url);
  });
  return element;
}

function renderReplyBar(): void {
  ui.replyBar.hidden = !state.replyTo;
  ui.replyText.textContent = state.replyTo?.text ?? '';
  if (!state.replyTo) ui.input.placeholder = t('sandbox-input-placeholder');
}

function renderKeyboard(chat: ChatView): void {
  const keyboard = chat.keyboard;
  const shown = JSON.stringify(keyboard);
  if (shown !== state.keyboardShown) {
    state.keyboardShown = shown;
    state.keyboardHidden = false;
  }
  ui.keyboardToggle.hidden = !keyboard;
  ui.replyKeyboard.hidden = !keyboard || state.keyboardHidden;
  if (!keyboard) return;
  if (keyboard.placeholder && !state.replyTo) ui.input.placeholder = keyboard.placeholder;
  ui.replyKeyboard.replaceChildren(
    ...keyboard.rows.map((row) => {
      const line = document.createElement('div');
      line.className = 'row';
      for (const button of row) line.append(keyButton(button, keyboard.oneTime));
      return line;
    }),
  );
}

function keyButton(button: KeyButtonView, oneTime: boolean): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'key-button';
  element.textContent = button.text;
  element.addEventListener('click', () => {
    if (oneTime) {
      state.keyboardHidden = true;
      ui.replyKeyboard.hidden = true;
    }
    if (button.kind === 'text') void sendText(button.text);
    else if (button.kind === 'contact') void shareContact();
    else void openMiniApp(button.url);
  });
  return element;
}

function showAnswers(chat: ChatView): void {
  for (const answer of chat.answers) {
    if (!state.pressed.has(answer.queryId)) continue;
    state.pressed.delete(answer.queryId);
    if (answer.text) showToast(answer.text, answer.alert === true);
  }
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function showToast(text: string, sticky: boolean): void {
  clearTimeout(toastTimer);
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  ui.toast.classList.toggle('alert', sticky);
  ui.toast.onclick = () => {
    ui.toast.hidden = true;
  };
  if (!sticky) {
    toastTimer = setTimeout(() => {
      ui.toast.hidden = true;
    }, 3500);
  }
}

// ------------------------------------------------------------------------------------------ actions

async function sendText(text: string): Promise<void> {
  const path = chatPath();
  if (!path || text.trim() === '') return;
  const replyTo = state.replyTo?.id;
  state.replyTo = undefined;
  renderReplyBar();
  try {
    await post(`${path}/messages`, {
      ...(state.group ? { from: state.speaker } : {}),
      text,
      ...(replyTo ? { replyTo } : {}),
    });
  } catch (error) {
    fail(error);
  }
}

async function sendPhoto(): Promise<void> {
  const path = chatPath();
  if (!path) return;
  const caption = ui.input.value.trim();
  const replyTo = state.replyTo?.id;
  ui.input.value = '';
  state.replyTo = undefined;
  renderReplyBar();
  try {
    const photo = await drawPhoto(state.group ? speakerName() : (state.person?.name ?? ''));
    const query = new URLSearchParams({
      ...(state.group ? { from: String(state.speaker) } : {}),
      ...(caption ? { caption } : {}),
      ...(replyTo ? { replyTo: String(replyTo) } : {}),
    });
    await request(`${path}/photos?${query}`, {
      method: 'POST',
      headers: { 'content-type': photo.type },
      body: photo,
    });
  } catch (error) {
    fail(error);
  }
}

type AttachmentKind = 'photo' | 'document' | 'voice' | 'sticker';
const ATTACHMENTS: readonly (readonly [AttachmentKind, string])[] = [
  ['photo', '🖼'],
  ['document', '📄'],
  ['voice', '🎤'],
  ['sticker', '👍'],
];

function toggleAttachMenu(open = ui.attachMenu.hidden): void {
  ui.attachMenu.hidden = !open;
  ui.attachButton.setAttribute('aria-expanded', String(open));
  if (open) ui.commands.hidden = true;
}

/**
 * A file as a Telegram client sends it: the photo is drawn by the page; a document (stand-in bytes
 * under a name), a voice message and a sticker are made by the local Telegram. The text in the field
 * goes as the caption (a sticker has none); a document may answer the message being replied to.
 */
async function attach(kind: AttachmentKind): Promise<void> {
  toggleAttachMenu(false);
  if (kind === 'photo') return sendPhoto();
  const path = chatPath();
  if (!path) return;
  const caption = kind === 'sticker' ? '' : ui.input.value.trim();
  if (kind !== 'sticker') ui.input.value = '';
  const replyTo = kind === 'document' ? state.replyTo?.id : undefined;
  if (replyTo) {
    state.replyTo = undefined;
    renderReplyBar();
  }
  try {
    // A group takes documents only (voice and stickers are chatter there, and not offered).
    await post(state.group ? `${path}/documents` : `${path}/attachments`, {
      ...(state.group ? { from: state.speaker } : { kind }),
      ...(caption ? { caption } : {}),
      ...(replyTo ? { replyTo } : {}),
      ...(kind === 'document' ? { fileName: t('sandbox-document-name') } : {}),
    });
  } catch (error) {
    fail(error);
  }
}

/** Someone new to the desk, in the page's language: a fresh chat to try what strangers get. */
async function newStranger(): Promise<void> {
  const session = state.session;
  if (!session) return;
  try {
    const person = await post<PersonView>('/people', { language: session.language });
    session.people.push(person);
    selectPerson(person);
  } catch (error) {
    fail(error);
  }
}

/**
 * The language switch: the page's texts, and for the person in view the bot's language too, as they
 * would change it in Telegram (the server sends /language and presses the button on their behalf).
 */
async function switchLanguage(language: 'ru' | 'en'): Promise<void> {
  localStorage.setItem('sandbox-language', language);
  const person = state.person;
  await loadSession(language);
  if (!person || person.language === language) return;
  await post(`/chats/${person.id}/language`, { language });
  const switched = { ...person, language };
  const session = state.session;
  if (session) session.people = session.people.map((p) => (p.id === person.id ? switched : p));
  if (state.person?.id === person.id) state.person = switched;
}

// ------------------------------------------------------------------------------------------- panes

type Pane = 'people' | 'chat' | 'mail' | 'webform' | 'miniapp';

/**
 * Which pane shows when the page is narrow (below 900 px); wider, all of them show, the chat, the mail
 * panel or the website form panel in the middle.
 */
function showPane(pane: Pane): void {
  ui.layout.dataset.pane = pane;
  if (pane === 'chat' || pane === 'mail' || pane === 'webform') ui.layout.dataset.center = pane;
  for (const button of ui.panes.querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.pane === pane));
  }
}

async function press(messageId: number, data: string): Promise<void> {
  const path = chatPath();
  if (!path) return;
  try {
    const { queryId } = await post<{ queryId: string }>(`${path}/presses`, {
      ...(state.group ? { from: state.speaker } : {}),
      messageId,
      data,
    });
    state.pressed.add(queryId);
    if (state.chat) showAnswers(state.chat);
  } catch (error) {
    fail(error);
  }
}

async function shareContact(): Promise<void> {
  const person = state.person;
  if (!person) return;
  try {
    await post(`/chats/${person.id}/contact`, {});
  } catch (error) {
    fail(error);
  }
}

async function toggleCommands(): Promise<void> {
  const person = state.person;
  if (!person) return;
  if (!ui.commands.hidden) {
    ui.commands.hidden = true;
    return;
  }
  try {
    const commands = await request<{ command: string; description: string }[]>(
      `/chats/${person.id}/commands`,
    );
    ui.commands.replaceChildren(
      ...commands.map(({ command, description }) => {
        const button = document.createElement('button');
        button.type = 'button';
        const name = document.createElement('strong');
        name.textContent = `/${command}`;
        const about = document.createElement('span');
        about.textContent = description;
        button.append(name, about);
        button.addEventListener('click', () => {
          ui.commands.hidden = true;
          void sendText(`/${command}`);
        });
        return button;
      }),
    );
    ui.commands.hidden = false;
  } catch (error) {
    fail(error);
  }
}

// ------------------------------------------------------------------------------------------ Mini App

const host = createHost(closeMiniApp, t);

/** The panel's title: the Mini App's own name (its document's title), the bot's until it has one. */
function followMiniAppTitle(): void {
  const frame = document.getElementById('miniapp-frame') as HTMLIFrameElement | null;
  ui.miniAppTitle.textContent = state.session?.bot.name ?? '';
  frame?.addEventListener('load', () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    const update = () => {
      if (doc.title) ui.miniAppTitle.textContent = doc.title;
    };
    update();
    new MutationObserver(update).observe(doc.head, { subtree: true, childList: true, characterData: true });
  });
}

async function openMiniApp(url: string | undefined): Promise<void> {
  const person = state.person;
  if (!person) return;
  ui.miniApp.hidden = false;
  ui.paneMiniApp.hidden = false;
  showPane('miniapp');
  ui.miniAppNote.hidden = state.session?.miniAppBuilt !== false;
  ui.miniAppNote.textContent = t('sandbox-miniapp-not-built');
  try {
    const query = new URLSearchParams(url ? { url } : {});
    const view = await request<MiniAppView>(`/chats/${person.id}/mini-app?${query}`);
    host.open(view.src);
    followMiniAppTitle();
  } catch (error) {
    fail(error);
  }
}

function closeMiniApp(): void {
  host.close();
  ui.miniApp.hidden = true;
  ui.paneMiniApp.hidden = true;
  if (ui.layout.dataset.pane === 'miniapp') {
    const center = ui.layout.dataset.center;
    showPane(center === 'mail' || center === 'webform' ? center : 'chat');
  }
}

// ---------------------------------------------------------------------------------------------- call

const OTHER_NUMBER = 'other';

function applyCallTexts(): void {
  const labels: [string, string][] = [
    ['call-title', 'sandbox-call-title'],
    ['call-hint', 'sandbox-call-hint'],
    ['call-from-label', 'sandbox-call-from'],
    ['call-number-label', 'sandbox-call-number'],
    ['call-answerer-label', 'sandbox-call-answerer'],
    ['call-ring', 'sandbox-call-ring'],
    ['call-answer', 'sandbox-call-answer'],
    ['call-hangup', 'sandbox-call-hangup'],
    ['call-open-chat', 'sandbox-call-open-chat'],
  ];
  for (const [id, key] of labels) element(id).textContent = t(key);
  ui.callNumber.placeholder = '+7 999 000-11-22';
  const chosen = ui.callFrom.value;
  ui.callFrom.replaceChildren(
    ...(state.session?.callPeople ?? []).map((person) => {
      const about = [person.roleName, person.company].filter(Boolean).join(', ');
      return Object.assign(document.createElement('option'), {
        value: String(person.id),
        textContent: `${person.name}, ${person.phone} · ${about}`,
      });
    }),
    Object.assign(document.createElement('option'), {
      value: OTHER_NUMBER,
      textContent: t('sandbox-call-other'),
    }),
  );
  if ([...ui.callFrom.options].some((o) => o.value === chosen)) ui.callFrom.value = chosen;
  ui.callOther.hidden = ui.callFrom.value !== OTHER_NUMBER;
  const answerer = ui.callAnswerer.value;
  ui.callAnswerer.replaceChildren(
    ...(state.session?.line1 ?? []).map((person) =>
      Object.assign(document.createElement('option'), { value: String(person.id), textContent: person.name }),
    ),
  );
  if ([...ui.callAnswerer.options].some((o) => o.value === answerer)) ui.callAnswerer.value = answerer;
  renderCall();
}

/** The box as the call stands: Ring while there is none going on, Answer and Hang up while it is. */
function renderCall(): void {
  const call = state.call;
  const going = call?.state === 'ringing' || call?.state === 'answered';
  ui.callRing.hidden = going;
  ui.callFrom.disabled = going;
  ui.callNumber.disabled = going;
  ui.callLive.hidden = !going;
  ui.callAnswer.hidden = call?.state !== 'ringing';
  ui.callAnswerer.disabled = call?.state !== 'ringing';
  ui.callOpenChat.hidden = !call || !state.session?.line1.some((p) => p.chatId !== null);
  if (!call) {
    ui.callStatus.textContent = '';
    return;
  }
  if (call.state === 'ringing') ui.callStatus.textContent = t('sandbox-call-ringing');
  else if (call.state === 'answered')
    ui.callStatus.textContent = `${t('sandbox-call-answered')} ${call.answeredBy ?? ''}`;
  else if (call.state === 'missed') {
    const due = call.callbackDueAt
      ? new Date(call.callbackDueAt).toLocaleString(state.session?.language, {
          dateStyle: 'short',
          timeStyle: 'short',
        })
      : '';
    ui.callStatus.textContent = `${t('sandbox-call-missed')} ${due}`;
  } else ui.callStatus.textContent = t('sandbox-call-ended');
}

async function callAction(action: () => Promise<CallView>): Promise<void> {
  for (const button of [ui.callRing, ui.callAnswer, ui.callHangup]) button.disabled = true;
  try {
    state.call = await action();
    renderCall();
  } catch (error) {
    fail(error);
  } finally {
    for (const button of [ui.callRing, ui.callAnswer, ui.callHangup]) button.disabled = false;
  }
}

const ring = () =>
  post<CallView>('/calls', {
    from:
      ui.callFrom.value === OTHER_NUMBER
        ? { number: ui.callNumber.value.trim() }
        : { personId: Number(ui.callFrom.value) },
  });

const answer = () =>
  post<CallView>(`/calls/${encodeURIComponent(state.call?.callId ?? '')}/answer`, {
    by: Number(ui.callAnswerer.value),
  });

const hangUp = () => post<CallView>(`/calls/${encodeURIComponent(state.call?.callId ?? '')}/hangup`, {});

// ---------------------------------------------------------------------------------------------- mail

/** A file attached to a mail, at most (the server refuses more). */
const MAX_MAIL_FILE_BYTES = 5 * 1024 * 1024;
const OTHER_ADDRESS = 'other';

function applyMailTexts(): void {
  ui.openMailTitle.textContent = `✉ ${t('sandbox-mail-title')}`;
  ui.openMailHint.textContent = t('sandbox-mail-hint');
  ui.mailTitle.textContent = t('sandbox-mail-title');
  ui.mailSubtitle.textContent = t('sandbox-mail-subtitle');
  const labels: [string, string][] = [
    ['mail-from-label', 'sandbox-mail-from'],
    ['mail-address-label', 'sandbox-mail-address'],
    ['mail-name-label', 'sandbox-mail-name'],
    ['mail-to-label', 'sandbox-mail-to'],
    ['mail-reply-label', 'sandbox-replying-to'],
    ['mail-subject-label', 'sandbox-mail-subject'],
    ['mail-text-label', 'sandbox-mail-text'],
    ['mail-file-label', 'sandbox-mail-file'],
  ];
  for (const [id, key] of labels) element(id).textContent = t(key);
  ui.mailReplyCancel.setAttribute('aria-label', t('sandbox-cancel-reply'));
  ui.mailSend.textContent = t('sandbox-send');
  ui.mailListTitle.textContent = t('sandbox-mail-list');
  ui.mailNotCaptured.textContent = t('sandbox-mail-not-captured');
  renderMailFrom();
  renderMail();
}

/** The "From" choices: every person of the desk with an address, then any other address. */
function renderMailFrom(): void {
  const chosen = ui.mailFrom.value;
  const people = state.session?.mailPeople ?? [];
  ui.mailFrom.replaceChildren(
    ...people.map((person) => {
      const option = document.createElement('option');
      option.value = String(person.id);
      const about = [person.roleName, person.company].filter(Boolean).join(', ');
      option.textContent = `${person.name} <${person.email}> · ${about}`;
      return option;
    }),
    Object.assign(document.createElement('option'), {
      value: OTHER_ADDRESS,
      textContent: t('sandbox-mail-other'),
    }),
  );
  if ([...ui.mailFrom.options].some((o) => o.value === chosen)) ui.mailFrom.value = chosen;
  ui.mailOther.hidden = ui.mailFrom.value !== OTHER_ADDRESS;
}

/** The address the mail is written from, lower-cased as the desk keeps it. */
function mailAddress(): string {
  if (ui.mailFrom.value === OTHER_ADDRESS) return ui.mailAddress.value.trim().toLowerCase();
  const person = state.session?.mailPeople.find((p) => String(p.id) === ui.mailFrom.value);
  return person?.email.toLowerCase() ?? '';
}

function openMail(): void {
  history.replaceState(null, '', '#mail');
  showPane('mail');
  renderPeople();
  if (!state.mailEvents) {
    const events = new EventSource(`${API}/mail/events`);
    state.mailEvents = events;
    events.addEventListener('mail', (event) => {
      state.mail = JSON.parse((event as MessageEvent<string>).data) as MailView;
      renderMail();
    });
  }
  renderMail();
}

/** The desk's mails to the chosen address and the mails written from it, newest first. */
function renderMail(): void {
  const mail = state.mail;
  ui.mailTo.textContent = mail?.deskAddress ?? '';
  ui.mailNotCaptured.hidden = mail?.capturing !== false;
  ui.mailReplyBar.hidden = !state.mailReplyTo;
  ui.mailReplyText.textContent = state.mailReplyTo?.subject ?? '';
  if (!mail) {
    ui.mailList.replaceChildren(listNote(t('sandbox-loading')));
    return;
  }
  const address = mailAddress();
  const items = [
    ...mail.sent.filter((m) => m.to === address).map((m) => ({ id: m.id, item: deskMailItem(m) })),
    ...mail.written.filter((m) => m.from === address).map((m) => ({ id: m.id, item: writtenMailItem(m) })),
  ].sort((a, b) => b.id - a.id);
  ui.mailList.replaceChildren(
    ...(items.length ? items.map((i) => i.item) : [listNote(t('sandbox-mail-empty'))]),
  );
}

function listNote(text: string): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'mail-empty';
  item.textContent = text;
  return item;
}

const mailTime = (date: number) =>
  new Date(date).toLocaleString(state.session?.language, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function mailItemHead(item: HTMLElement, who: string, subject: string, date: number): void {
  const head = document.createElement('div');
  head.className = 'mail-head';
  const from = document.createElement('span');
  from.textContent = who;
  const time = document.createElement('time');
  time.dateTime = new Date(date).toISOString();
  time.textContent = mailTime(date);
  head.append(from, time);
  const title = document.createElement('strong');
  title.className = 'mail-subject';
  title.textContent = subject || t('sandbox-mail-no-subject');
  item.append(head, title);
}

function deskMailItem(mail: SentMailView): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'mail-item theirs';
  item.dataset.id = String(mail.id);
  mailItemHead(item, `${state.mail?.deskAddress ?? ''} → ${mail.to}`, mail.subject, mail.date);
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = mail.text;
  const reply = document.createElement('button');
  reply.type = 'button';
  reply.className = 'mail-reply';
  reply.textContent = `↩ ${t('sandbox-reply')}`;
  reply.addEventListener('click', () => {
    state.mailReplyTo = mail;
    ui.mailSubject.value = /^re:/i.test(mail.subject) ? mail.subject : `Re: ${mail.subject}`;
    renderMail();
    ui.mailText.focus();
  });
  item.append(text, reply);
  return item;
}

function writtenMailItem(mail: WrittenMailView): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'mail-item mine';
  mailItemHead(item, `${mail.from} → ${state.mail?.deskAddress ?? ''}`, mail.subject, mail.date);
  const result = document.createElement('div');
  result.className = `mail-outcome ${mail.result.kind}`;
  result.textContent = resultText(mail.result);
  item.append(result);
  return item;
}

/** What the desk made of a mail, in a line. */
function resultText(result: MailResultView): string {
  const number = (n: number | null) => (n === null ? '' : ` #${n}`);
  switch (result.kind) {
    case 'created':
      return `${t('sandbox-mail-created')}${number(result.number)}`;
    case 'commented':
      return `${t('sandbox-mail-commented')}${number(result.number)}${result.reopened ? ` · ${t('sandbox-mail-reopened')}` : ''}`;
    case 'duplicate':
      return `${t('sandbox-mail-duplicate')}${number(result.number)}`;
    case 'bounce':
      return `${t('sandbox-mail-bounce')}${number(result.number)}`;
    case 'dropped':
      return t(`sandbox-mail-dropped-${result.reason}`);
    case 'quarantined':
      return `${t('sandbox-mail-quarantined')} ${result.reason}`;
  }
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function sendMail(): Promise<void> {
  const other = ui.mailFrom.value === OTHER_ADDRESS;
  const file = ui.mailFile.files?.[0];
  if (file && file.size > MAX_MAIL_FILE_BYTES) {
    fail(new Error(t('sandbox-mail-file-too-big')));
    return;
  }
  ui.mailSend.disabled = true;
  try {
    const written = await post<WrittenMailView>('/mail', {
      from: other
        ? { address: ui.mailAddress.value.trim(), name: ui.mailName.value.trim() }
        : { personId: Number(ui.mailFrom.value) },
      subject: ui.mailSubject.value,
      text: ui.mailText.value,
      ...(state.mailReplyTo ? { replyTo: state.mailReplyTo.id } : {}),
      ...(file ? { file: { name: file.name, data: await base64Of(file) } } : {}),
    });
    ui.mailResult.textContent = resultText(written.result);
    ui.mailSubject.value = '';
    ui.mailText.value = '';
    ui.mailFile.value = '';
    state.mailReplyTo = undefined;
    renderMail();
  } catch (error) {
    fail(error);
  } finally {
    ui.mailSend.disabled = false;
  }
}

// ------------------------------------------------------------------------------------------- webform

function applyWebformTexts(): void {
  ui.openWebformTitle.textContent = `🌐 ${t('sandbox-webform-title')}`;
  ui.openWebformHint.textContent = t('sandbox-webform-hint');
  const labels: [string, string][] = [
    ['webform-title', 'sandbox-webform-title'],
    ['webform-subtitle', 'sandbox-webform-subtitle'],
    ['webform-off', 'sandbox-webform-off'],
    ['webform-embed-title', 'sandbox-webform-embed-title'],
    ['webform-embed-hint', 'sandbox-webform-embed-hint'],
    ['webform-copy', 'sandbox-webform-copy'],
    ['webform-after-title', 'sandbox-webform-after-title'],
    ['webform-after-hint', 'sandbox-webform-after-hint'],
    ['webform-open-chat', 'sandbox-call-open-chat'],
    ['webform-reload', 'sandbox-webform-reload'],
    ['webform-open-tab', 'sandbox-webform-open-tab'],
  ];
  for (const [id, key] of labels) element(id).textContent = t(key);
  ui.webformFrame.title = t('sandbox-webform-title');
  ui.webformCopied.textContent = '';
  ui.webformOpenChat.hidden = !state.session?.line1.some((p) => p.chatId !== null);
  renderWebform();
}

function openWebform(): void {
  history.replaceState(null, '', '#webform');
  showPane('webform');
  renderPeople();
  if (state.webform) {
    renderWebform();
    return;
  }
  request<WebformView>('/webform')
    .then((view) => {
      state.webform = view;
      renderWebform();
    })
    .catch(fail);
}

/**
 * The frame on the form's page in the page's language (a language switch opens it anew; otherwise a form
 * half filled in stays as it is), and the embed line with this server's address.
 */
function renderWebform(): void {
  const form = state.webform;
  ui.webformOff.hidden = form?.enabled !== false;
  if (!form || !state.session) return;
  const src = `${form.formPath}?lang=${state.session.language}`;
  if (ui.webformFrame.getAttribute('src') !== src) ui.webformFrame.setAttribute('src', src);
  ui.webformSnippet.textContent = `<script src="${location.origin}${form.embedPath}"></script>`;
}

async function copySnippet(): Promise<void> {
  const snippet = ui.webformSnippet.textContent ?? '';
  try {
    await navigator.clipboard.writeText(snippet);
    ui.webformCopied.textContent = t('sandbox-webform-copied');
  } catch {
    // No clipboard (a page not on localhost or https): the line is selected for Ctrl+C.
    const range = document.createRange();
    range.selectNodeContents(ui.webformSnippet);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    ui.webformCopied.textContent = t('sandbox-webform-copy-failed');
  }
}

/** The chat of the first 1st-line person who has one: where calls' cards and new requests' notices go. */
function openLine1Chat(): void {
  const chatId = state.session?.line1.find((p) => p.chatId !== null)?.chatId;
  const person = state.session?.people.find((p) => p.id === chatId);
  if (person) selectPerson(person);
}

// -------------------------------------------------------------------------------------------- wiring

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.input.value;
  ui.input.value = '';
  void sendText(text);
});
ui.speaker.addEventListener('change', () => {
  state.speaker = Number(ui.speaker.value);
  renderChat();
});
ui.replyCancel.addEventListener('click', () => {
  state.replyTo = undefined;
  renderReplyBar();
});
ui.attachButton.addEventListener('click', () => toggleAttachMenu());
for (const [kind] of ATTACHMENTS) {
  element(`attach-${kind}`).addEventListener('click', () => void attach(kind));
}
document.addEventListener('click', (event) => {
  const target = event.target as Node;
  if (!ui.attachMenu.hidden && !ui.attachMenu.contains(target) && !ui.attachButton.contains(target))
    toggleAttachMenu(false);
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !ui.attachMenu.hidden) toggleAttachMenu(false);
});
ui.newStranger.addEventListener('click', () => void newStranger());
for (const button of ui.panes.querySelectorAll<HTMLButtonElement>('button')) {
  button.addEventListener('click', () => {
    const pane = button.dataset.pane;
    if (pane === 'mail') openMail();
    else if (pane === 'webform') openWebform();
    else if (pane === 'people' || pane === 'chat' || pane === 'miniapp') showPane(pane);
    if (pane === 'chat') renderPeople();
  });
}
ui.openMail.addEventListener('click', openMail);
ui.openWebform.addEventListener('click', openWebform);
ui.webformCopy.addEventListener('click', () => void copySnippet());
ui.webformReload.addEventListener('click', () => {
  ui.webformFrame.contentWindow?.location.reload();
});
ui.webformOpenChat.addEventListener('click', openLine1Chat);
ui.webformOpenTab.addEventListener('click', () => {
  const src = ui.webformFrame.getAttribute('src');
  if (src) window.open(src, '_blank', 'noopener');
});
ui.mailFrom.addEventListener('change', () => {
  ui.mailOther.hidden = ui.mailFrom.value !== OTHER_ADDRESS;
  ui.mailResult.textContent = '';
  renderMail();
});
ui.mailAddress.addEventListener('input', renderMail);
ui.mailReplyCancel.addEventListener('click', () => {
  state.mailReplyTo = undefined;
  renderMail();
});
ui.mailForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendMail();
});
ui.callFrom.addEventListener('change', () => {
  ui.callOther.hidden = ui.callFrom.value !== OTHER_NUMBER;
});
ui.callRing.addEventListener('click', () => void callAction(ring));
ui.callAnswer.addEventListener('click', () => void callAction(answer));
ui.callHangup.addEventListener('click', () => void callAction(hangUp));
ui.callOpenChat.addEventListener('click', openLine1Chat);
ui.commandsButton.addEventListener('click', () => void toggleCommands());
ui.keyboardToggle.addEventListener('click', () => {
  state.keyboardHidden = !state.keyboardHidden;
  if (state.chat) renderKeyboard(state.chat);
});
ui.openApp.addEventListener('click', () => void openMiniApp(undefined));
ui.menuButton.addEventListener('click', () => {
  const menu = state.chat?.menuButton;
  if (menu) void openMiniApp(menu.url);
});
ui.miniAppClose.addEventListener('click', closeMiniApp);
for (const button of ui.languages.querySelectorAll<HTMLButtonElement>('button')) {
  button.addEventListener('click', () => {
    void switchLanguage(button.dataset.lang === 'en' ? 'en' : 'ru').catch(fail);
  });
}
document.documentElement.style.setProperty('--accent', THEME.button_color);

showPane('people');
loadSession(pickLanguage()).catch(fail);
