// The client directory import and export in core: a file with good rows and every kind of bad row, the
// preview naming each, the import writing the good ones in one go, a second import writing nothing,
// CSV in every shape Excel writes it (`;` or `,`, BOM or none, windows-1251) and XLSX, phones in every
// Russian spelling, and export → import changing nothing.
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type DirectoryPreview, importDirectory, previewDirectory } from '../core/directory/apply.ts';
import { DIRECTORY_MAX_BYTES, DIRECTORY_MAX_ROWS } from '../core/directory/columns.ts';
import { directoryCsv, directoryEntries, directoryXlsx } from '../core/directory/export.ts';
import { e164Phone } from '../core/directory/normalise.ts';
import { DirectoryFileError, detectSeparator } from '../core/directory/parse.ts';
import { DeskError, ForbiddenError } from '../core/errors.ts';
import { bindByPhone, normalizePhone } from '../core/onboarding.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { companies, memberships, people } from '../db/schema.ts';
import { makeWorld, storeSnapshot, type World, writeMark } from './fixtures.ts';

const HEADER_RU = ['Компания', 'ИНН', 'Домен', 'ФИО', 'Телефон', 'Почта', 'Роль'];

/** Cells → CSV text, quoting what needs it. */
function csvText(rows: string[][], sep = ';'): string {
  const cell = (c: string) => (/[";,\t\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return `${rows.map((r) => r.map(cell).join(sep)).join('\r\n')}\r\n`;
}

const utf8 = (text: string, bom = false) => new TextEncoder().encode(bom ? `\uFEFF${text}` : text);

/** What Russian Excel writes: windows-1251 (Cyrillic А–я at 0xC0–0xFF, Ё/ё at 0xA8/0xB8). */
function cp1251(text: string): Uint8Array {
  return Uint8Array.from([...text], (ch) => {
    const code = ch.codePointAt(0) ?? 0x3f;
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (code === 0x401) return 0xa8;
    if (code === 0x451) return 0xb8;
    if (code === 0x2116) return 0xb9;
    if (code === 0xab) return 0xab; // «
    if (code === 0xbb) return 0xbb; // »
    return 0x3f;
  });
}

async function xlsxOf(rows: (string | number | ExcelJS.CellValue)[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Клиенты');
  for (const r of rows) sheet.addRow(r);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const changes = (w: World) => writeMark(w.ctx.db);

const setPhone = async (w: World, id: number, phone: string) =>
  await execute(w.ctx.db.update(people).set({ phone }).where(eq(people.id, id)));

/** A world where Beta's client and the 1st line have phones (to collide with). */
async function world(): Promise<World> {
  const w = await makeWorld();
  await setPhone(w, w.ids.clientB, '+79167778899');
  await setPhone(w, w.ids.line1, '+79168889900');
  await execute(
    w.ctx.db.update(people).set({ email: 'a2@alpha.example' }).where(eq(people.id, w.ids.clientA2)),
  );
  await setPhone(w, w.ids.clientA, '+79160001122');
  return w;
}

/** Good rows first, then one row for every reason a row can be refused. */
const MIXED: string[][] = [
  HEADER_RU,
  ['ООО «Ромашка»', '7701234567', 'romashka.ru', '', '', '', ''], // 2 new company
  ['ООО «Ромашка»', '7701234567', '', 'Иванов Иван', '8 916 123-45-67', 'Ivanov@Romashka.ru', 'руководитель'], // 3
  ['', '7701234567', '', 'Петрова Анна', '+7 (916) 222-33-44', '', 'клиент'], // 4 company by INN only
  ['Alpha LLC', '', 'alpha.example', '', '', '', ''], // 5 changes Alpha's domain
  ['ооо  «ромашка»', '', '', 'Сидоров Пётр', '12345', '', 'клиент'], // 6 bad phone
  ['ООО «Ромашка»', '', '', 'Кузнецов', '', 'not-an-email', ''], // 7 bad e-mail
  ['ООО «Ромашка»', '', '', 'Смирнов', '+79163334455', '', 'директор'], // 8 bad role
  ['ООО «Ромашка»', '', '', '', '+79164445566', '', 'клиент'], // 9 missing name
  ['ООО «Ромашка»', '', '', 'Иванов И.', '+7 916 123 45 67', '', ''], // 10 duplicate of row 3
  ['', '9999999999', '', 'Никто', '+79165556677', '', ''], // 11 unknown company
  ['ООО «Лютик»', '7701234567', '', '', '', '', ''], // 12 INN of row 2's company
  ['ООО «Ромашка»', '', '', 'Бета Клиент', '8 (916) 777-88-99', '', ''], // 13 a client of Beta
  ['ООО «Ромашка»', '', '', 'Линия Один', '+79168889900', '', ''], // 14 staff
  ['ООО «Ромашка»', '', '', 'Безконтактов', '', '', ''], // 15 no phone, no e-mail, nobody of that name
  ['ООО «Ромашка»', '', 'not a domain', 'Орлов', '+79161110000', '', ''], // 16 bad domain
  ['Alpha LLC', '', '', 'Client A', '+79160001122', 'a2@alpha.example', ''], // 17 phone of A, e-mail of A2
  ['ООО «Ромашка»', '7701234567', 'other.ru', '', '', '', ''], // 18 another domain than row 2
  ['', '', '', 'Без компании', '+79162223344', '', ''], // 19 no company
];

const REASON_OF_LINE: Record<number, string> = {
  6: 'bad_phone',
  7: 'bad_email',
  8: 'bad_role',
  9: 'missing_name',
  10: 'duplicate_person',
  11: 'unknown_company',
  12: 'duplicate_inn',
  13: 'other_company',
  14: 'staff_member',
  15: 'missing_contact',
  16: 'bad_domain',
  17: 'two_people',
  18: 'domain_mismatch',
  19: 'missing_company',
};

/** The outcome of each row, in a form two previews can be compared by. */
const outcome = (p: DirectoryPreview) =>
  p.rows.map((r) => ({ line: r.line, status: r.status, changes: r.changes, reasons: r.reasons }));

describe('phone numbers', () => {
  it('are E.164 in every Russian spelling, for the import and for "Share my number" alike', () => {
    for (const raw of ['+7 (916) 123-45-67', '8 916 123 45 67', '79161234567', '9161234567', '8(916)1234567'])
      expect([raw, e164Phone(raw)]).toEqual([raw, '+79161234567']);
    expect(e164Phone('+44 20 7946 0958')).toBe('+442079460958');
    // Telegram sends shared numbers without the "+".
    expect(e164Phone('447911123456')).toBe('+447911123456');
    for (const bad of ['12345', '+7 123 456 78 90', 'call me', '', '8 916 123 45'])
      expect([bad, e164Phone(bad)]).toEqual([bad, null]);
    expect(normalizePhone('8 916 123 45 67')).toBe(e164Phone('8 916 123 45 67'));
  });
});

describe('the directory preview', () => {
  it('names every row: new, changed, unchanged, or the reason it is refused', async () => {
    const w = await world();
    const before = await storeSnapshot(w.ctx.db);
    const total = await changes(w);
    const p = await previewDirectory(w.ctx, w.as.admin, utf8(csvText(MIXED), true));
    expect(p.format).toBe('csv');
    expect(p.columns).toEqual(['company', 'inn', 'emailDomain', 'name', 'phone', 'email', 'role']);
    const byLine = new Map(p.rows.map((r) => [r.line, r]));
    expect(byLine.get(2)).toMatchObject({ status: 'new', company: 'ООО «Ромашка»', inn: '7701234567' });
    expect(byLine.get(3)).toMatchObject({
      status: 'new',
      name: 'Иванов Иван',
      phone: '+79161234567',
      email: 'ivanov@romashka.ru',
      role: 'client_manager',
    });
    // The company named by its INN alone is shown by its name.
    expect(byLine.get(4)).toMatchObject({ status: 'new', company: 'ООО «Ромашка»', phone: '+79162223344' });
    expect(byLine.get(5)).toMatchObject({ status: 'changed', changes: ['emailDomain'] });
    for (const [line, code] of Object.entries(REASON_OF_LINE)) {
      const row = byLine.get(Number(line));
      expect(row?.status, `row ${line}`).toBe('error');
      expect(
        row?.reasons.map((r) => r.code),
        `row ${line}`,
      ).toEqual([code]);
    }
    expect(byLine.get(10)?.reasons[0]).toMatchObject({ line: 3 });
    expect(byLine.get(12)?.reasons[0]).toMatchObject({ line: 2, company: 'ООО «Ромашка»' });
    expect(byLine.get(13)?.reasons[0]).toMatchObject({ company: 'Beta JSC' });
    expect(byLine.get(18)?.reasons[0]).toMatchObject({ line: 2 });
    expect(byLine.get(8)?.reasons[0]).toMatchObject({ value: 'директор' });
    expect(p.counts).toEqual({ total: 18, new: 3, changed: 1, unchanged: 0, error: 14 });
    // A preview writes nothing.
    expect(await changes(w)).toBe(total);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('reads the same rows from a comma CSV in windows-1251, a tab CSV, and an XLSX', async () => {
    const w = await world();
    const reference = outcome(await previewDirectory(w.ctx, w.as.admin, utf8(csvText(MIXED), true)));
    const cp = await previewDirectory(w.ctx, w.as.admin, cp1251(csvText(MIXED, ',')));
    expect(outcome(cp)).toEqual(reference);
    expect(cp.rows[1]?.name).toBe('Иванов Иван');
    const tabs = await previewDirectory(w.ctx, w.as.admin, utf8(csvText(MIXED, '\t')));
    expect(outcome(tabs)).toEqual(reference);
    // In a workbook numbers stay numbers and e-mails are links.
    const typed = MIXED.map((r, i) =>
      i === 0
        ? r
        : r.map((cell, col) => {
            if (col === 1 && /^\d+$/.test(cell)) return Number(cell);
            if (col === 5 && cell.includes('@'))
              return { text: cell, hyperlink: `mailto:${cell}` } as ExcelJS.CellValue;
            return cell === '' ? null : cell;
          }),
    );
    const xlsx = await previewDirectory(w.ctx, w.as.admin, await xlsxOf(typed));
    expect(xlsx.format).toBe('xlsx');
    expect(outcome(xlsx)).toEqual(reference);
  });

  it('takes English headers in any case, ignores unknown columns and blank rows', async () => {
    const w = await world();
    const text = csvText([
      ['COMPANY', 'Name', 'E-mail', 'Phone', 'Notes', 'Role', 'Email_Domain', 'INN'],
      ['Gamma Ltd', 'Olga', 'olga@gamma.example', '89160000001', 'vip', 'manager', 'gamma.example', ''],
      ['', '', '', '', '', '', '', ''],
      ['Gamma Ltd', 'Oleg', '', '+7 916 000-00-02', '', 'client', '', ''],
    ]);
    const p = await previewDirectory(w.ctx, w.as.admin, utf8(text));
    expect(p.ignoredColumns).toEqual(['Notes']);
    expect(p.rows.map((r) => [r.line, r.status, r.role])).toEqual([
      [2, 'new', 'client_manager'],
      [4, 'new', 'client'],
    ]);
    expect(detectSeparator('a;b;"c,d,e"\r\n1,2,3')).toBe(';');
    expect(detectSeparator('a,b,c')).toBe(',');
    expect(detectSeparator('one column')).toBe(',');
  });

  it('refuses a file it cannot read as a whole, with the reason', async () => {
    const w = await world();
    const before = await storeSnapshot(w.ctx.db);
    const reasonOf = async (bytes: Uint8Array) => {
      try {
        await previewDirectory(w.ctx, w.as.admin, bytes);
        return 'read';
      } catch (e) {
        expect(e).toBeInstanceOf(DirectoryFileError);
        return (e as DirectoryFileError).reason;
      }
    };
    expect(await reasonOf(new Uint8Array())).toBe('empty');
    expect(await reasonOf(utf8('\r\n\r\n;;\r\n'))).toBe('empty');
    expect(await reasonOf(utf8('Фамилия;Отдел\r\nИванов;IT\r\n'))).toBe('no_header');
    expect(await reasonOf(utf8('company;name\r\n"Alpha;Ivan\r\n'))).toBe('bad_csv');
    expect(await reasonOf(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]))).toBe('unreadable');
    expect(await reasonOf(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]))).toBe('unreadable');
    expect(await reasonOf(new Uint8Array(DIRECTORY_MAX_BYTES + 1).fill(0x41))).toBe('too_large');
    const many = csvText([
      ['company', 'name', 'phone'],
      ...Array.from({ length: DIRECTORY_MAX_ROWS + 1 }, (_, i) => ['Gamma', `P${i}`, '']),
    ]);
    expect(await reasonOf(utf8(many))).toBe('too_many_rows');
    // Exactly the limit is fine.
    const enough = csvText([
      ['company', 'name', 'phone'],
      ...Array.from({ length: DIRECTORY_MAX_ROWS }, (_, i) => [
        'Gamma',
        `P${i}`,
        `+7916${String(i).padStart(7, '0')}`,
      ]),
    ]);
    expect((await previewDirectory(w.ctx, w.as.admin, utf8(enough))).counts.total).toBe(DIRECTORY_MAX_ROWS);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('is for admins only', async () => {
    const w = await world();
    const file = utf8(csvText(MIXED));
    for (const who of ['clientA', 'managerA', 'line1', 'supervisor', 'stranger'] as const) {
      await expect(previewDirectory(w.ctx, w.as[who], file)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(importDirectory(w.ctx, w.as[who], file, 'x')).rejects.toBeInstanceOf(ForbiddenError);
      await expect(directoryEntries(w.ctx, w.as[who])).rejects.toThrow(ForbiddenError);
    }
  });
});

describe('the directory import', () => {
  it('writes the good rows in one go, and a second import of the same file writes nothing', async () => {
    const w = await world();
    const file = utf8(csvText(MIXED), true);
    const preview = await previewDirectory(w.ctx, w.as.admin, file);
    const result = await importDirectory(w.ctx, w.as.admin, file, preview.digest);
    expect(outcome(result)).toEqual(outcome(preview));
    expect(result.written).toEqual({
      companiesCreated: 1,
      companiesUpdated: 1,
      peopleCreated: 2,
      peopleUpdated: 0,
      rolesAdded: 2,
      rolesChanged: 0,
    });
    const romashka = await queryOne(w.ctx.db.select().from(companies).where(eq(companies.inn, '7701234567')));
    expect(romashka).toMatchObject({ name: 'ООО «Ромашка»', emailDomain: 'romashka.ru' });
    const ivanov = await queryOne(w.ctx.db.select().from(people).where(eq(people.phone, '+79161234567')));
    expect(ivanov).toMatchObject({ name: 'Иванов Иван', email: 'ivanov@romashka.ru', telegramUserId: null });
    const roles = (await queryAll(w.ctx.db.select().from(memberships)))
      .filter((m) => m.companyId === romashka?.id)
      .map((m) => m.role)
      .sort();
    expect(roles).toEqual(['client', 'client_manager']);
    expect(
      (await queryOne(w.ctx.db.select().from(companies).where(eq(companies.id, w.companyA))))?.emailDomain,
    ).toBe('alpha.example');
    // Nobody of the refused rows got in.
    for (const phone of ['+79163334455', '+79164445566', '+79165556677', '+79161110000'])
      expect(
        await queryOne(w.ctx.db.select().from(people).where(eq(people.phone, phone))),
        phone,
      ).toBeUndefined();
    expect(
      await queryOne(w.ctx.db.select().from(companies).where(eq(companies.name, 'ООО «Лютик»'))),
    ).toBeUndefined();

    // Again: every good row is unchanged now, and not one row of the store is touched.
    const before = await storeSnapshot(w.ctx.db);
    const total = await changes(w);
    const again = await previewDirectory(w.ctx, w.as.admin, file);
    expect(again.counts).toEqual({ total: 18, new: 0, changed: 0, unchanged: 4, error: 14 });
    const second = await importDirectory(w.ctx, w.as.admin, file, again.digest);
    expect(Object.values(second.written)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await changes(w)).toBe(total);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('lets "Share my number" find a person the import wrote', async () => {
    const w = await world();
    const file = utf8(csvText(MIXED));
    const p = await previewDirectory(w.ctx, w.as.admin, file);
    await importDirectory(w.ctx, w.as.admin, file, p.digest);
    const { person, matched } = await bindByPhone(
      w.ctx,
      { telegramUserId: 5555, name: 'Ivan' },
      '79161234567',
    );
    expect(matched).toBe(true);
    expect(person).toMatchObject({ name: 'Иванов Иван', telegramUserId: 5555 });
  });

  it('refuses to run a plan the admin did not see, and writes nothing', async () => {
    const w = await world();
    const file = utf8(csvText(MIXED));
    const p = await previewDirectory(w.ctx, w.as.admin, file);
    // Someone changes the directory between the preview and the import.
    await setPhone(w, w.ids.managerB, '+79162223344');
    const before = await storeSnapshot(w.ctx.db);
    const refused = importDirectory(w.ctx, w.as.admin, file, p.digest);
    await expect(refused).rejects.toBeInstanceOf(DeskError);
    await expect(refused).rejects.toMatchObject({ code: 'stale' });
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('reports which fields change, and swaps a client for a manager role', async () => {
    const w = await world();
    const first = utf8(
      csvText([
        ['company', 'inn', 'name', 'phone', 'email', 'role'],
        ['Gamma Ltd', '5400000001', 'Olga Petrova', '+79160000001', '', 'client'],
        ['Gamma Ltd', '5400000001', 'Oleg', '+79160000002', '', ''],
      ]),
    );
    await importDirectory(
      w.ctx,
      w.as.admin,
      first,
      (await previewDirectory(w.ctx, w.as.admin, first)).digest,
    );
    const second = utf8(
      csvText([
        ['company', 'inn', 'name', 'phone', 'email', 'role'],
        [
          'Gamma Group',
          '5400000001',
          'Olga  Petrova-Smirnova',
          '8 916 000-00-01',
          'olga@gamma.example',
          'manager',
        ],
        ['gamma group', '', 'Oleg', '89160000002', '', ''],
      ]),
    );
    const p = await previewDirectory(w.ctx, w.as.admin, second);
    expect(p.rows.map((r) => [r.line, r.status, r.changes])).toEqual([
      [2, 'changed', ['company', 'name', 'email', 'role']],
      [3, 'unchanged', []],
    ]);
    const result = await importDirectory(w.ctx, w.as.admin, second, p.digest);
    expect(result.written).toMatchObject({
      companiesUpdated: 1,
      peopleUpdated: 1,
      rolesChanged: 1,
      rolesAdded: 0,
    });
    const olga = await queryOne(w.ctx.db.select().from(people).where(eq(people.phone, '+79160000001')));
    expect(olga).toMatchObject({ name: 'Olga Petrova-Smirnova', email: 'olga@gamma.example' });
    const held = await queryAll(
      w.ctx.db
        .select()
        .from(memberships)
        .where(eq(memberships.personId, olga?.id ?? 0)),
    );
    expect(held.map((m) => m.role)).toEqual(['client_manager']);
  });

  it('adds a person of one company to another only when the file lists them at both', async () => {
    const w = await world();
    const both = utf8(
      csvText([
        ['company', 'name', 'phone'],
        ['Gamma Ltd', 'Client B', '+79167778899'],
        ['Beta JSC', 'Client B', '+79167778899'],
      ]),
    );
    const p = await previewDirectory(w.ctx, w.as.admin, both);
    expect(p.rows.map((r) => r.status)).toEqual(['new', 'unchanged']);
    await importDirectory(w.ctx, w.as.admin, both, p.digest);
    const companiesOfB = (
      await queryAll(w.ctx.db.select().from(memberships).where(eq(memberships.personId, w.ids.clientB)))
    ).map((m) => m.companyId);
    expect(companiesOfB).toHaveLength(2);
    expect(companiesOfB).toContain(w.companyB);
  });
});

describe('the directory export', () => {
  it('reads back as a no-op, as CSV and as XLSX, in Russian and in English', async () => {
    const w = await world();
    const file = utf8(csvText(MIXED));
    await importDirectory(w.ctx, w.as.admin, file, (await previewDirectory(w.ctx, w.as.admin, file)).digest);
    // A company whose name a spreadsheet would run as a formula, and one without clients.
    await execute(
      w.ctx.db
        .insert(companies)
        .values({ name: '=HYPERLINK("http://x")', emailDomain: 'x.example', createdAt: 0 }),
    );
    await execute(w.ctx.db.insert(companies).values({ name: 'Delta', createdAt: 0 }));
    const before = await storeSnapshot(w.ctx.db);
    const total = await changes(w);

    const csv = await directoryCsv(w.ctx, w.as.admin, 'ru');
    expect(csv.startsWith('\uFEFFкомпания;инн;домен;фио;телефон;почта;роль\r\n')).toBe(true);
    expect(csv).toContain(
      `ООО «Ромашка»;7701234567;romashka.ru;Иванов Иван;'+79161234567;ivanov@romashka.ru;руководитель`,
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")";;x.example;`);
    expect(csv).toContain('\r\nDelta;;;;;;\r\n');
    expect(csv).not.toMatch(/(^|;|\r\n)[=+\-@]/);
    for (const bytes of [
      utf8(csv),
      utf8(await directoryCsv(w.ctx, w.as.admin, 'en')),
      await directoryXlsx(w.ctx, w.as.admin, 'ru'),
      await directoryXlsx(w.ctx, w.as.admin, 'en'),
    ]) {
      const p = await previewDirectory(w.ctx, w.as.admin, bytes);
      expect(p.counts.error, JSON.stringify(p.rows.filter((r) => r.status === 'error'))).toBe(0);
      expect(p.counts.unchanged).toBe(p.counts.total);
      expect(p.counts.total).toBe((await directoryEntries(w.ctx, w.as.admin)).length);
      const result = await importDirectory(w.ctx, w.as.admin, bytes, p.digest);
      expect(Object.values(result.written)).toEqual([0, 0, 0, 0, 0, 0]);
    }
    expect(await changes(w)).toBe(total);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('writes the higher client role of a person once per company', async () => {
    const w = await world();
    await execute(
      w.ctx.db
        .insert(memberships)
        .values({ personId: w.ids.clientA, role: 'client_manager', companyId: w.companyA }),
    );
    const rows = (await directoryEntries(w.ctx, w.as.admin)).filter((e) => e.name === 'Client A');
    expect(rows).toEqual([
      expect.objectContaining({ company: 'Alpha LLC', role: 'client_manager', phone: '+79160001122' }),
    ]);
    // Staff are not in the client directory.
    expect((await directoryEntries(w.ctx, w.as.admin)).some((e) => e.name === 'Line One')).toBe(false);
  });
});
