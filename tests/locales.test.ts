// Every text a user sees exists in both languages.
import { describe, expect, it } from 'vitest';
import { CHANNELS, IMPACTS, LINES, PRIORITIES, ROLES, STATUSES, URGENCIES } from '../core/model.ts';
import { messageKeys, translator } from '../locales/index.ts';

describe('locales', () => {
  it('have the same keys in Russian and English', () => {
    expect(messageKeys('en').sort()).toEqual(messageKeys('ru').sort());
    expect(messageKeys('ru').length).toBeGreaterThan(50);
  });

  it('name every status, priority, channel, impact, urgency, line and role', () => {
    const keys = [
      ...STATUSES.map((s) => `status-${s}`),
      ...PRIORITIES.map((p) => `priority-${p}`),
      ...CHANNELS.map((c) => `channel-${c}`),
      ...IMPACTS.map((i) => `impact-${i}`),
      ...URGENCIES.map((u) => `urgency-${u}`),
      ...LINES.map((l) => `line-${l}`),
      ...ROLES.map((r) => `role-${r}`),
    ];
    for (const language of ['ru', 'en'] as const) {
      const t = translator(language);
      for (const key of keys) expect(t(key), `${language}: ${key}`).not.toBe(key);
    }
    expect(translator('ru')('status-waiting_for_customer')).toBe('Ждёт ответа клиента');
    expect(translator('en')('report-assignee-tickets', { name: 'Ann' })).toBe('Ann: tickets');
  });
});
