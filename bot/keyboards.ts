// The main menu under the message field: new request, my requests, and sharing the phone number.
import { Keyboard } from 'grammy';
import type { TalkContext } from './context.ts';

export function mainMenu(ctx: TalkContext, withPhone: boolean): Keyboard {
  const keyboard = new Keyboard().text(ctx.t('menu-new')).text(ctx.t('menu-mine'));
  if (withPhone) keyboard.row().requestContact(ctx.t('menu-share-phone'));
  return keyboard.resized().persistent();
}
