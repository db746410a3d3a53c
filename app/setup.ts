// `npm run setup -- admin`: a new one-time link that makes its first opener the desk's admin, for the
// operator who lost the one `npm start` printed. Refuses once the desk has an admin (ask them to invite).
import { createContext } from '../core/context.ts';
import { systemClock } from '../core/model.ts';
import { issueSetupCode, SETUP_CODE_TTL_MS, setupLink } from '../core/setup/first-admin.ts';
import { openDatabase } from '../db/connection.ts';
import { loadConfig } from './config.ts';

async function main(argv: string[]): Promise<number> {
  const [what] = argv;
  if (what !== 'admin') {
    console.error('Usage: npm run setup -- admin   (a one-time link that makes its first opener the admin)');
    return 2;
  }
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    const desk = createContext(db, systemClock);
    const code = await issueSetupCode(desk);
    if (!code) {
      console.error('tgdesk: this desk already has an admin. Ask them for an invite link (/invite admin).');
      return 1;
    }
    const link = await setupLink(desk, code);
    const hours = SETUP_CODE_TTL_MS / 3_600_000;
    console.log(
      link
        ? `Open this link in Telegram; whoever opens it first becomes the admin (once, within ${hours} h):\n\n    ${link}\n`
        : `The bot has not run on this store yet, so its @username is unknown. Start tgdesk with BOT_TOKEN, then send the bot\n\n    /start ${code.payload}\n\nwithin ${hours} h; whoever sends it first becomes the admin.\n`,
    );
    return 0;
  } finally {
    db.$client.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
