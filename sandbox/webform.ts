// The form panel's side: the desk's website form, its key and whether it is on. Asking makes the form (on)
// if no admin has looked at it yet, as the Mini App's settings would: the sandbox is the desk's own demo.
import type { DeskContext } from '../core/context.ts';
import { webformSettings } from '../core/webform/settings.ts';
import type { WebformView } from './types.ts';

export function sandboxWebform(desk: DeskContext): () => Promise<WebformView> {
  return async () => {
    const { enabled, key } = await webformSettings(desk);
    const formPath = `/form/${encodeURIComponent(key)}`;
    return { enabled, formPath, embedPath: `${formPath}/embed.js` };
  };
}
