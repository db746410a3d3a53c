// The group-chatter rule over a hand-labelled corpus of work-group messages: precision and recall of
// "is a request" (recall matters more: a lost request is worse than a ticket the staff cancel), and a few
// cases spelled out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyGroupMessage, type GroupMessageShape } from '../core/groups/chatter.ts';

const MEDIA = ['none', 'photo', 'document', 'voice', 'video', 'sticker', 'animation', 'other'] as const;

interface Labelled {
  line: number;
  request: boolean;
  message: GroupMessageShape;
}

function readCorpus(): Labelled[] {
  const file = new URL('./fixtures/group-chatter.tsv', import.meta.url);
  const rows: Labelled[] = [];
  let header = true;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      if (raw.startsWith('#') || raw.trim() === '') return;
      if (header) {
        header = false;
        return;
      }
      const [label, media, ...rest] = raw.split('\t');
      const kind = MEDIA.find((k) => k === media);
      if ((label !== 'request' && label !== 'chatter') || !kind) {
        throw new Error(`group-chatter.tsv line ${index + 1}: bad label or media: ${raw}`);
      }
      rows.push({
        line: index + 1,
        request: label === 'request',
        message: { text: rest.join('\t'), media: kind },
      });
    });
  return rows;
}

describe('group chatter: is a message a request?', () => {
  it('finds the requests of the labelled corpus (precision ≥ 0.9, recall ≥ 0.95)', () => {
    const corpus = readCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    let truePositive = 0;
    let falsePositive = 0;
    let falseNegative = 0;
    const wrong: string[] = [];
    for (const row of corpus) {
      const verdict = classifyGroupMessage(row.message);
      if (verdict.request && row.request) truePositive++;
      if (verdict.request && !row.request) falsePositive++;
      if (!verdict.request && row.request) falseNegative++;
      if (verdict.request !== row.request) {
        const why = verdict.request ? 'request' : `chatter (${verdict.reason})`;
        wrong.push(`  line ${row.line} [${row.message.media}] ${JSON.stringify(row.message.text)} → ${why}`);
      }
    }
    const precision = truePositive / (truePositive + falsePositive);
    const recall = truePositive / (truePositive + falseNegative);
    const summary =
      `precision ${precision.toFixed(2)} recall ${recall.toFixed(2)} (n=${corpus.length}, ` +
      `requests ${truePositive + falseNegative}, tp ${truePositive}, fp ${falsePositive}, fn ${falseNegative})`;
    console.log(summary);
    const report = `${summary}\nmisclassified:\n${wrong.join('\n') || '  none'}`;
    expect(precision >= 0.9 && recall >= 0.95, report).toBe(true);
  });

  it('takes stickers, GIFs and emoji for reactions', () => {
    expect(classifyGroupMessage({ text: '', media: 'sticker' })).toEqual({
      request: false,
      reason: 'sticker',
    });
    expect(classifyGroupMessage({ text: '', media: 'animation' })).toEqual({
      request: false,
      reason: 'sticker',
    });
    expect(classifyGroupMessage({ text: '👍👍 🙏!', media: 'none' })).toEqual({
      request: false,
      reason: 'emoji',
    });
    expect(classifyGroupMessage({ text: ')))', media: 'none' })).toEqual({
      request: false,
      reason: 'laughter',
    });
    expect(classifyGroupMessage({ text: '+', media: 'none' })).toEqual({ request: false, reason: 'ack' });
    expect(classifyGroupMessage({ text: '  ', media: 'none' })).toEqual({ request: false, reason: 'empty' });
  });

  it('takes thanks, acks, greetings, farewells and laughter alone for chatter', () => {
    const cases: [string, string][] = [
      ['Спасибо большое!', 'thanks'],
      ['спс)', 'thanks'],
      ['Спасибо, Иван! 🙏', 'thanks'],
      ['thx', 'thanks'],
      ['Ок', 'ack'],
      ['понял', 'ack'],
      ['договорились', 'ack'],
      ['Всем привет!', 'greeting'],
      ['Добрый день', 'greeting'],
      ['hello', 'greeting'],
      ['Хороших выходных!', 'farewell'],
      ['До свидания', 'farewell'],
      ['ахаха', 'laughter'],
      ['lol', 'laughter'],
      ['всё, заработало', 'chatter'],
      ['тест', 'too_short'],
    ];
    for (const [text, reason] of cases) {
      expect(classifyGroupMessage({ text, media: 'none' }), text).toEqual({ request: false, reason });
    }
  });

  it('files a greeting or thanks that goes on to a problem', () => {
    for (const text of [
      'Добрый день! У меня не печатает принтер',
      'спасибо, но всё ещё не работает',
      'Спасибо! Так и не заработало',
      'привет, ВПН не подключается',
      'hi, I can\u2019t',
      'ок, а когда приедете?',
    ]) {
      expect(classifyGroupMessage({ text, media: 'none' }), text).toEqual({ request: true });
    }
  });

  it('files a photo, document, voice or video unless its caption is laughter or thanks', () => {
    expect(classifyGroupMessage({ text: '', media: 'photo' })).toEqual({ request: true });
    expect(classifyGroupMessage({ text: '', media: 'voice' })).toEqual({ request: true });
    expect(classifyGroupMessage({ text: '', media: 'document' })).toEqual({ request: true });
    expect(classifyGroupMessage({ text: 'Добрый день', media: 'photo' })).toEqual({ request: true });
    expect(classifyGroupMessage({ text: '👀', media: 'video' })).toEqual({ request: true });
    expect(classifyGroupMessage({ text: 'ахаха 😂', media: 'photo' })).toEqual({
      request: false,
      reason: 'laughter',
    });
    expect(classifyGroupMessage({ text: 'спасибо!', media: 'photo' })).toEqual({
      request: false,
      reason: 'thanks',
    });
  });

  it('reads ё as е and ignores case', () => {
    expect(classifyGroupMessage({ text: 'ВСЁ ЕЩЁ НЕ РАБОТАЕТ', media: 'none' })).toEqual({ request: true });
    expect(classifyGroupMessage({ text: 'Всё ок, спасибо', media: 'none' })).toEqual({
      request: false,
      reason: 'thanks',
    });
  });
});
