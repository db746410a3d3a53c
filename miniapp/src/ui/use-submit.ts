// A form's save: busy while the request runs, the error it ended with, haptics and the "saved" toast.
import { useState } from 'react';
import { t } from '../i18n.ts';
import { haptic } from '../telegram.ts';
import { toast } from './common.tsx';

export function useSubmit(onSaved: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (request: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await request();
      haptic.success();
      toast(t('app-saved'));
      onSaved();
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
