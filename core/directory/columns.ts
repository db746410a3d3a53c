// The file format of the client directory (import and export): one row per person of a client company,
// a row with empty person cells for a company alone. Column names and role words are the format itself,
// like the field names of an API: the import recognises both languages whatever the admin's language,
// and the export writes those of the admin's language, so an exported file always reads back.
import type { Language } from '../model.ts';

export const DIRECTORY_FIELDS = ['company', 'inn', 'emailDomain', 'name', 'phone', 'email', 'role'] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

/** The roles a directory row can give: client roles, always bound to the row's company. */
export const DIRECTORY_ROLES = ['client', 'client_manager'] as const;
export type DirectoryRole = (typeof DIRECTORY_ROLES)[number];

/** The file the import reads: at most this many bytes and data rows. */
export const DIRECTORY_MAX_BYTES = 5 * 1024 * 1024;
export const DIRECTORY_MAX_ROWS = 10_000;

/** Longest cell values the store takes. */
export const MAX_LENGTH = { company: 200, inn: 40, emailDomain: 253, name: 200, phone: 40, email: 254 };

/** The header the export writes, per language; the import accepts these and the aliases below. */
const HEADER: Record<Language, Record<DirectoryField, string>> = {
  ru: {
    company: 'компания',
    inn: 'инн',
    emailDomain: 'домен',
    name: 'фио',
    phone: 'телефон',
    email: 'почта',
    role: 'роль',
  },
  en: {
    company: 'company',
    inn: 'inn',
    emailDomain: 'email_domain',
    name: 'name',
    phone: 'phone',
    email: 'email',
    role: 'role',
  },
};

const ALIASES: Record<DirectoryField, string[]> = {
  company: ['организация', 'название компании', 'company name', 'organisation', 'organization'],
  inn: ['инн компании', 'tax id', 'company id', 'registration number', 'id компании'],
  emailDomain: ['почтовый домен', 'домен почты', 'mail domain', 'domain'],
  name: ['имя', 'ф.и.о.', 'сотрудник', 'full name', 'person'],
  phone: ['тел', 'тел.', 'мобильный', 'номер телефона', 'mobile', 'phone number'],
  email: ['e-mail', 'email', 'эл. почта', 'электронная почта', 'mail'],
  role: ['должность в системе', 'тип'],
};

/** Header text as compared: lower case, ё as е, without spaces, '_', '-', '.' and '/'. */
export function headerKey(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\s_\-./]+/g, '');
}

const FIELD_OF_HEADER = new Map<string, DirectoryField>();
for (const field of DIRECTORY_FIELDS) {
  for (const text of [HEADER.ru[field], HEADER.en[field], ...ALIASES[field]]) {
    FIELD_OF_HEADER.set(headerKey(text), field);
  }
}

/** Which field a header cell names, if any. */
export function fieldOfHeader(text: string): DirectoryField | undefined {
  return FIELD_OF_HEADER.get(headerKey(text));
}

export function exportHeader(language: Language): string[] {
  return DIRECTORY_FIELDS.map((f) => HEADER[language][f]);
}

const ROLE_WORD: Record<Language, Record<DirectoryRole, string>> = {
  ru: { client: 'клиент', client_manager: 'руководитель' },
  en: { client: 'client', client_manager: 'client_manager' },
};

const ROLE_OF_WORD = new Map<string, DirectoryRole>(
  Object.entries({
    client: 'client',
    клиент: 'client',
    сотрудник: 'client',
    clientmanager: 'client_manager',
    manager: 'client_manager',
    руководитель: 'client_manager',
    менеджер: 'client_manager',
  }),
);

/** The role a cell names ("Клиент", "client_manager", "Менеджер"), undefined if none. */
export function roleOfWord(text: string): DirectoryRole | undefined {
  return ROLE_OF_WORD.get(headerKey(text));
}

export function roleWord(role: DirectoryRole, language: Language): string {
  return ROLE_WORD[language][role];
}
