// The desk's website form: on or off, the key in its URL, and the secrets its tokens and proof-of-work
// challenges are signed with. One JSON value in desk_settings, made (switched on) when an admin first looks
// at it: until then there is no form, and nothing a stranger sends writes anything.
import { randomBytes } from 'node:crypto';
import type { DeskContext } from '../context.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { readSetting, writeSetting } from '../settings.ts';

const WEBFORM = 'webform';

export interface WebformSettings {
  enabled: boolean;
  /** The form's URL is /form/<key>: unguessable, so a form switched off and on again keeps its URL. */
  key: string;
  /** Signs the form tokens (issue time). */
  tokenSecret: string;
  /** Signs the ALTCHA challenges. */
  altchaSecret: string;
}

const secret = () => randomBytes(32).toString('hex');

export async function webformSettings(ctx: DeskContext): Promise<WebformSettings> {
  const raw = await readSetting(ctx.db, WEBFORM);
  if (raw !== null) return JSON.parse(raw) as WebformSettings;
  const fresh: WebformSettings = {
    enabled: true,
    key: randomBytes(9).toString('base64url'),
    tokenSecret: secret(),
    altchaSecret: secret(),
  };
  await writeSetting(ctx.db, WEBFORM, JSON.stringify(fresh), ctx.clock.now());
  return fresh;
}

/** The settings when `key` names the desk's form and it is switched on; never makes one. */
export async function openForm(ctx: DeskContext, key: string): Promise<WebformSettings | null> {
  const raw = await readSetting(ctx.db, WEBFORM);
  if (raw === null) return null;
  const form = JSON.parse(raw) as WebformSettings;
  return form.enabled && form.key === key ? form : null;
}

/** What an admin sees: never the secrets. */
export async function webformForAdmin(
  ctx: DeskContext,
  actor: Actor,
): Promise<{ enabled: boolean; key: string }> {
  assertAdmin(actor);
  const { enabled, key } = await webformSettings(ctx);
  return { enabled, key };
}

export async function setWebformEnabled(
  ctx: DeskContext,
  actor: Actor,
  enabled: boolean,
): Promise<{ enabled: boolean; key: string }> {
  assertAdmin(actor);
  const form = { ...(await webformSettings(ctx)), enabled };
  await writeSetting(ctx.db, WEBFORM, JSON.stringify(form), ctx.clock.now());
  return { enabled: form.enabled, key: form.key };
}
