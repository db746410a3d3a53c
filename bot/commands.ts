// The command menus Telegram shows, in Russian (default) and English.
import type { Api } from 'grammy';
import { LANGUAGES } from '../core/model.ts';
import { DEFAULT_LANGUAGE, translator } from '../locales/index.ts';

const COMMANDS = ['new', 'my', 'language', 'help', 'cancel'] as const;

export async function registerCommands(api: Api): Promise<void> {
  for (const language of LANGUAGES) {
    const t = translator(language);
    const commands = COMMANDS.map((command) => ({ command, description: t(`command-${command}`) }));
    await api.setMyCommands(commands, { language_code: language });
    if (language === DEFAULT_LANGUAGE) await api.setMyCommands(commands);
  }
}
