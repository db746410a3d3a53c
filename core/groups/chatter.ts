// Is a message in a client company's Telegram group a request, or chatter? A pure decision over the text
// (or caption) and the kind of media. It leans towards "request": a ticket the staff cancel costs a click,
// a lost request costs the client. Russian first, English too; case-insensitive, ё read as е.

export interface GroupMessageShape {
  /** The text or the caption, as sent ('' when none). */
  text: string;
  /** What came with it besides text. */
  media: 'none' | 'photo' | 'document' | 'voice' | 'video' | 'sticker' | 'animation' | 'other';
}

export type ChatterVerdict =
  | { request: true }
  | {
      request: false;
      reason:
        | 'empty'
        | 'sticker'
        | 'emoji'
        | 'thanks'
        | 'ack'
        | 'greeting'
        | 'laughter'
        | 'too_short'
        | 'farewell'
        | 'chatter';
    };

type Reason = Extract<ChatterVerdict, { request: false }>['reason'];

/** No letter or digit before: `\b` knows only ASCII letters, so Cyrillic words need this. */
const START = '(?<![\\p{L}\\p{N}])';

/** Alternatives, each anchored at the start of a word (fragments may be stems). */
function wordStems(fragments: readonly string[]): RegExp {
  return new RegExp(`${START}(?:${fragments.join('|')})`, 'u');
}

// ---- Problem signals: any of these makes the text a request, whatever chatter surrounds it. ----

/** Things IT looks after: naming one is almost always the start of a request. */
const IT_THINGS = wordStems([
  'принт',
  'печат',
  'распечат',
  'звук',
  'sound',
  'мфу',
  'скан',
  'картридж',
  'тонер',
  'интернет',
  'инет',
  'сет(?:ь|и|ев)',
  'вай-?фай',
  'wi-?fi',
  'впн',
  'vpn',
  'rdp',
  'рдп',
  'удаленк',
  '1[сc]',
  'почт(?:а|ы|е|у|ой|ов)',
  'e-?mail',
  'outlook',
  'аутлук',
  'excel',
  'эксел',
  'word',
  'ворд',
  'teams',
  'тимс',
  'zoom',
  'зум',
  'skype',
  'скайп',
  'windows',
  'винд',
  'вирус',
  'антивирус',
  'программ',
  'приложени',
  'сертификат',
  'токен',
  'эцп',
  'контур',
  'диадок',
  'crm',
  'срм',
  'сайт',
  'website',
  'site',
  'касс',
  'комп(?!ани)',
  'ноут',
  'laptop',
  'computer',
  'pc(?![\\p{L}])',
  'монитор',
  'экран',
  'screen',
  'мыш',
  'mouse',
  'клавиатур',
  'keyboard',
  'наушник',
  'микрофон',
  'камер',
  'проектор',
  'телефон',
  'кабел',
  'hdmi',
  'розетк',
  'флешк',
  'сервер',
  'server',
  'диск',
  'drive',
  'папк',
  'folder',
  'парол',
  'password',
  'логин',
  'login',
  'учетк',
  'учетн',
  'аккаунт',
  'account',
  'доступ',
  'access',
  'printer',
  'network',
  'internet',
]);

/** Something is wrong, or someone asks for something: the words people use to say so. */
const TROUBLE = wordStems([
  // "не <verb>": it doesn't print / open / load / start / connect / arrive…
  'не\\s+(?:работ|мог|мож|смог|получа|печата|открыва|груз|включ|запуска|подключ|приход|отправля|вид|отвеча|заход|пуска|загруж|звон|показыва|сканир|проход|пробива|сохраня|синхрон|обновля|реагир|слыш|удает|вход|помог|заработал|ид[её]т)',
  'ошибк',
  'ошибок',
  'завис',
  'вис(?:ит|нет)',
  'тормоз',
  'глюч',
  'глюк',
  'слома',
  'пропал',
  'упал',
  'отвал',
  'слетел',
  'перестал',
  'мига',
  'мерца',
  'зажев',
  'закончил',
  'вылета',
  'выкидыва',
  'выскакива',
  'сбой',
  'баг',
  'помоги',
  'срочно',
  'нужн',
  'нужен',
  'надо(?!ел)',
  'подскаж',
  'прошу',
  'просьба',
  'проблем',
  // it came back: a follow-up that reopens the matter
  'опять',
  'снова',
  'до\\s+сих\\s+пор',
  'так\\s+и\\s+не',
  'ещ[её]\\s+не',
  // a request for work
  'заблок',
  'блокир',
  'установ',
  'настро',
  'постав',
  'поменя',
  'замен',
  'выда',
  'завед',
  'подготов',
  'удали',
  'восстанов',
  'сброс',
  // English
  'error',
  'broke',
  "can'?t",
  'cannot',
  'can\\s+not',
  "couldn'?t",
  "doesn'?t",
  "don'?t",
  "won'?t",
  "isn'?t",
  'not\\s+work',
  'down(?![\\p{L}])',
  'help',
  'please',
  'pls',
  'plz',
  'issue',
  'problem',
  'need',
  'reset',
  'crash',
  'stuck',
  'slow',
  'fix',
  'fail',
  'wrong',
  'keeps',
  'again',
  'install',
]);

/** A question is a request until shown otherwise ("принтер?", "а 1с работает?"). */
const QUESTION = /\?/;

// ---- Chatter: what people write that is not a request. ----

/** "It works now / never mind": removed before looking for trouble, so "уже не нужно" files nothing. */
const RESOLVED = new RegExp(
  [
    `${START}(?<!не\\s)заработал\\p{L}*`,
    `${START}(?:все|уже|теперь|снова|опять|вроде)\\s+(?:за)?работа\\p{L}*`,
    `${START}все\\s+(?:ок|окей|норм\\p{L}*|хорошо|в\\s+порядке|отлично)`,
    `${START}(?<!не\\s)получилось`,
    `${START}разобрал\\p{L}*`,
    `${START}отбой`,
    `${START}(?:уже\\s+)?не\\s+(?:нужно|надо|актуально)`,
    `${START}неактуально`,
    `${START}(?<!не\\s)(?:нашл[аи]|нашел)`,
    `${START}(?:all\\s+good|works\\s+now|it\\s+works|fixed|resolved|sorted|never\\s*mind)`,
  ].join('|'),
  'gu',
);

/** Congratulations and "wrong chat": social talk that no problem word follows. */
const SOCIAL = new RegExp(
  [
    `${START}с\\s+(?:днем\\s+рождения|праздник|новым\\s+годом|наступающ|пятниц)`,
    `${START}поздравля`,
    `${START}happy\\s+(?:birthday|new\\s+year|friday)`,
    `${START}не\\s+(?:туда|вам|тот\\s+чат|в\\s+тот\\s+чат)`,
    `${START}ошиб(?:ся|лась|лись)\\s+чат`,
    `${START}wrong\\s+chat`,
  ].join('|'),
  'u',
);

/** The words of short chatter, by kind; a message made of these alone is chatter of that kind. */
const CHATTER_WORDS: Record<'thanks' | 'farewell' | 'greeting' | 'ack', ReadonlySet<string>> = {
  thanks: new Set(
    'спасибо спасибки спасиб пасиб спс сенкс благодарю благодарим мерси thanks thank thx tnx ty'.split(' '),
  ),
  farewell: new Set(
    'до свидания пока завтра хороших выходных хорошего вечера дня bye goodbye see tomorrow later'.split(' '),
  ),
  greeting: new Set(
    'привет приветствую здравствуйте здравствуй добрый доброе доброго день утро вечер hi hello hey good morning afternoon evening'.split(
      ' ',
    ),
  ),
  ack: new Set(
    'ок окей оке ok okay okey k понял поняла поняли понятно ясно ясн принято принял приняла хорошо договорились да нет ага угу ладно лады жду ждем ждём супер класс отлично отл круто ура замечательно got it sure fine noted great cool nice perfect yes no yep'.split(
      ' ',
    ),
  ),
};

/** Small words that go with chatter without changing it ("спасибо всем", "thank you so much"). */
const FILLER = new Set(
  'всем вам вас тебе тебя большое огромное очень ребят ребята коллеги и а ну же за помощь оперативность быстро все you all everyone guys so much very for the'.split(
    ' ',
  ),
);

/** Laughter typed as a word: "ахах", "хаха", "хахаха", "lol", "хд". */
const LAUGH_WORD = /^(?:а?(?:ха)+х?|(?:хе)+|ха+|хд|ржу|lol|lmao|rofl|a?(?:ha)+h?|(?:he)+|xd)$/u;

/** Laughing emoji and the Russian bracket smile ")))": laughter too. */
const LAUGH_SIGNS = /^[\s)😂🤣😆😹😄😅😁.!]+$/u;
const HAS_LAUGH_SIGN = /[)😂🤣😆😹😄😅😁]/u;

/** "+" and "++": yes, agreed. */
const PLUS_ONLY = /^[\s+]+$/u;

/** Emoji, pictographs and their joiners: text made only of these (and punctuation) says nothing to file. */
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** Fewer letters and digits than this, with no problem signal, is not a request ("тест", "вы лучшие"). */
const MIN_LETTERS = 12;

const MENTION_OR_LINK = /@\w+|https?:\/\/\S+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

const MEDIA_CARRYING_A_PROBLEM = new Set(['photo', 'document', 'voice', 'video', 'other']);

const chatter = (reason: Reason): ChatterVerdict => ({ request: false, reason });
const REQUEST: ChatterVerdict = { request: true };

/** ё as е; the typographic apostrophe of phones ("can’t") as the plain one. */
function normalize(text: string): string {
  return text.replace(/ё/g, 'е').replace(/Ё/g, 'Е').replace(/[’ʼ]/g, "'");
}

/** Text with no letter or digit: empty, "+", ")))", or emoji and punctuation. */
function nonVerbal(text: string): Reason {
  if (text.trim() === '') return 'empty';
  if (PLUS_ONLY.test(text)) return 'ack';
  if (LAUGH_SIGNS.test(text) && HAS_LAUGH_SIGN.test(text)) return 'laughter';
  if (PICTOGRAPH.test(text)) return 'emoji';
  return 'empty';
}

/**
 * The kind of chatter the text is made of alone (words of that kind, filler, at most one capitalised
 * unknown word taken for a name: "Спасибо, Иван!"), or null when it says something more.
 */
function pureChatter(lower: string, original: string): Reason | null {
  const capitalised = new Set(
    (original.match(WORD) ?? []).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w.toLowerCase()),
  );
  const found = new Set<Reason>();
  let unknown = 0;
  for (const word of lower.match(WORD) ?? []) {
    if (FILLER.has(word)) continue;
    if (LAUGH_WORD.test(word)) {
      found.add('laughter');
      continue;
    }
    const kind = (['thanks', 'farewell', 'greeting', 'ack'] as const).find((k) => CHATTER_WORDS[k].has(word));
    if (kind) {
      found.add(kind);
      continue;
    }
    if (!capitalised.has(word) || ++unknown > 1) return null;
  }
  if (found.size === 0) return null;
  for (const kind of ['thanks', 'farewell', 'greeting', 'laughter', 'ack'] as const) {
    if (found.has(kind)) return kind;
  }
  return null;
}

export function classifyGroupMessage(m: GroupMessageShape): ChatterVerdict {
  // A sticker, or a GIF with nothing written, is a reaction.
  if (m.media === 'sticker') return chatter('sticker');
  if (m.media === 'animation' && m.text.trim() === '') return chatter('sticker');

  // A screenshot, file, voice or video shows the problem; only a caption that is laughter or thanks
  // (a meme, a photo of the fixed thing) makes it chatter. A greeting, an ack or other emoji as its
  // caption ("Добрый день" + screenshot, 👀) still files it.
  const carriesProblem = MEDIA_CARRYING_A_PROBLEM.has(m.media);

  const original = normalize(m.text).replace(MENTION_OR_LINK, ' ');
  if (!LETTER_OR_DIGIT.test(original)) {
    const reason = nonVerbal(original);
    if (!carriesProblem) return chatter(reason);
    return reason === 'laughter' ? chatter('laughter') : REQUEST;
  }

  const lower = original.toLowerCase();
  const withoutResolved = lower.replace(RESOLVED, ' ');
  const resolved = withoutResolved !== lower;
  if (IT_THINGS.test(withoutResolved) || TROUBLE.test(withoutResolved) || QUESTION.test(withoutResolved)) {
    return REQUEST;
  }

  const pure = pureChatter(withoutResolved, original);
  if (carriesProblem) return pure === 'laughter' || pure === 'thanks' ? chatter(pure) : REQUEST;
  if (pure) return chatter(pure);
  if (resolved || SOCIAL.test(lower)) return chatter('chatter');

  const letters = (lower.match(WORD) ?? []).join('').length;
  if (letters < MIN_LETTERS) return chatter('too_short');
  return REQUEST;
}
