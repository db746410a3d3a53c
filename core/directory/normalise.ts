// Step 2 of the directory import: each row's cells → clean values, or the reasons the row cannot be
// taken. Phones become E.164 (+79161234567) with the same function the bot matches "Share my number" by,
// so a person imported as "8 (916) 123-45-67" is found when they share +79161234567. Nothing here reads
// the store: whether a company or a person exists is the plan's question.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { companyInputSchema } from '../admin/companies.ts';
import { formulaUnsafe } from '../csv.ts';
import { type DirectoryRole, MAX_LENGTH, roleOfWord } from './columns.ts';
import type { SheetRow } from './parse.ts';

/** Why a row is not imported; `line` points at the row it clashes with, `company` names a company. */
export const ROW_REASONS = [
  'missing_company',
  'bad_inn',
  'bad_domain',
  'missing_name',
  'missing_contact',
  'bad_phone',
  'bad_email',
  'bad_role',
  'too_long',
  'unknown_company',
  'ambiguous_company',
  'duplicate_inn',
  'domain_mismatch',
  'duplicate_person',
  'person_mismatch',
  'two_people',
  'ambiguous_person',
  'other_company',
  'staff_member',
] as const;
export type ReasonCode = (typeof ROW_REASONS)[number];

export interface RowReason {
  code: ReasonCode;
  /** The earlier row this one clashes with. */
  line?: number;
  /** A company name the message mentions. */
  company?: string;
  /** The offending value (a role word), or the field that is too long. */
  value?: string;
}

/**
 * A phone number as E.164 ("+79161234567"), or null when it is not a valid number. Without a country
 * code it is Russian: "8 916 123-45-67", "+7 (916) 123-45-67", "79161234567" and "9161234567" are all
 * +79161234567. Telegram sends shared numbers without the "+" ("447911123456"): a number that is not
 * valid as Russian is tried once more as international.
 */
export function e164Phone(raw: string): string | null {
  const text = raw.trim();
  if (text === '' || text.length > MAX_LENGTH.phone) return null;
  const russian = parsePhoneNumberFromString(text, 'RU');
  if (russian?.isValid()) return russian.number;
  if (!text.startsWith('+')) {
    const international = parsePhoneNumberFromString(`+${text.replace(/^\D+/, '')}`);
    if (international?.isValid()) return international.number;
  }
  return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INN = /^[\p{L}\p{N}][\p{L}\p{N}\-/.]*$/u;

/**
 * A cell as a person typed it, cleaned: no-break and odd spaces as spaces, zero-width characters gone,
 * trimmed; and the quote our own export puts before a leading = + - @ (so formulas stay text, core/csv.ts)
 * taken off, there and after a separator inside the cell, so that an exported file reads back as it was.
 */
export function cleanCell(raw: string): string {
  return formulaUnsafe(raw)
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .normalize('NFC');
}

/** A company's name as matched: case- and space-insensitive. */
export function nameKey(name: string): string {
  return cleanCell(name).toLowerCase();
}

/** Two spellings of a name that are the same apart from spacing (the store keeps its own spacing). */
export function sameText(a: string | null, b: string | null): boolean {
  return (a === null ? null : cleanCell(a)) === (b === null ? null : cleanCell(b));
}

export interface NormalPerson {
  name: string;
  phone: string | null;
  email: string | null;
  /** Null: not given (an existing client role stays; a new person becomes a client). */
  role: DirectoryRole | null;
}

export interface NormalRow {
  line: number;
  company: string | null;
  inn: string | null;
  emailDomain: string | null;
  /** Null for a row of a company alone (every person cell empty). */
  person: NormalPerson | null;
  /** The cells as the preview shows them: clean, the phone as E.164 when it is valid. */
  shown: { company: string; inn: string; name: string; phone: string; email: string; role: string };
  reasons: RowReason[];
}

export function normaliseRow(row: SheetRow): NormalRow {
  const c = {
    company: cleanCell(row.cells.company),
    inn: cleanCell(row.cells.inn).replace(/\s/g, ''),
    emailDomain: cleanCell(row.cells.emailDomain)
      .replace(/^@/, '')
      .replace(/^mailto:/i, ''),
    name: cleanCell(row.cells.name),
    phone: cleanCell(row.cells.phone),
    email: cleanCell(row.cells.email)
      .replace(/^mailto:/i, '')
      .toLowerCase(),
    role: cleanCell(row.cells.role),
  };
  const reasons: RowReason[] = [];
  const tooLong = (field: keyof typeof MAX_LENGTH, value: string) => {
    if (value.length <= MAX_LENGTH[field]) return false;
    reasons.push({ code: 'too_long', value: field });
    return true;
  };

  if (c.company === '' && c.inn === '') reasons.push({ code: 'missing_company' });
  tooLong('company', c.company);
  if (c.inn !== '' && !tooLong('inn', c.inn) && !INN.test(c.inn)) reasons.push({ code: 'bad_inn' });
  let emailDomain: string | null = null;
  if (c.emailDomain !== '' && !tooLong('emailDomain', c.emailDomain)) {
    const parsed = companyInputSchema.shape.emailDomain.safeParse(c.emailDomain);
    if (parsed.success) emailDomain = parsed.data;
    else reasons.push({ code: 'bad_domain' });
  }

  const isPerson = c.name !== '' || c.phone !== '' || c.email !== '' || c.role !== '';
  let person: NormalPerson | null = null;
  let phone: string | null = null;
  if (isPerson) {
    if (c.name === '') reasons.push({ code: 'missing_name' });
    tooLong('name', c.name);
    // A row with neither phone nor e-mail can only name someone already at the company (the plan looks).
    if (c.phone !== '') {
      phone = e164Phone(c.phone);
      if (phone === null) reasons.push({ code: 'bad_phone' });
    }
    if (c.email !== '' && !tooLong('email', c.email) && !EMAIL.test(c.email))
      reasons.push({ code: 'bad_email' });
    const role = c.role === '' ? null : (roleOfWord(c.role) ?? null);
    if (c.role !== '' && role === null) reasons.push({ code: 'bad_role', value: c.role.slice(0, 40) });
    person = { name: c.name, phone, email: c.email === '' ? null : c.email, role };
  }
  return {
    line: row.line,
    company: c.company === '' ? null : c.company,
    inn: c.inn === '' ? null : c.inn,
    emailDomain,
    person,
    shown: {
      company: c.company,
      inn: c.inn,
      name: c.name,
      phone: phone ?? c.phone,
      email: c.email,
      role: person?.role ?? c.role,
    },
    reasons,
  };
}
