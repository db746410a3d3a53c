// Attaching files to a new request or a comment: each picked file is uploaded at once (POST /api/uploads,
// by XMLHttpRequest for its upload progress), shown as a row with its name, size and a progress bar, and
// the form sends the ids of those that arrived. Files over the size limit or beyond the count are refused
// here before they travel; the server's refusals (a type it does not take) come back worded.
import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '../i18n.ts';
import { haptic, WebApp } from '../telegram.ts';

/** As the server's (core/files/store.ts): 20 MB a file, 10 files a message. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_FILES = 10;
const MEGABYTES = MAX_FILE_BYTES / 2 ** 20;

/** What the file input offers; the server decides by the bytes anyway. */
const ACCEPT =
  'image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf,.txt,.csv,.log,.zip,.rar,.7z,.gz,.tar';

export interface Uploaded {
  id: string;
  fileName: string;
  mimeType: string;
  kind: string;
  size: number;
}

export interface PickedFile {
  key: number;
  file: File;
  /** 0–1 while uploading. */
  progress: number;
  upload: Uploaded | null;
  /** Why it did not arrive: a reason the locales word (too_large, bad_type, no_file, too_many, busy, network). */
  error: string | null;
}

export function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return t('app-size-bytes', { value: bytes });
  const kb = bytes / 1024;
  if (kb < 1024) return t('app-size-kb', { value: Math.round(kb) });
  return t('app-size-mb', { value: Math.round((kb / 1024) * 10) / 10 });
}

export function uploadErrorText(reason: string): string {
  return t(`app-file-error-${reason}`, { megabytes: MEGABYTES, count: MAX_FILES });
}

/** Sends one file; `onProgress` hears the share sent (0–1). Rejects with the refusal's reason. */
export function sendFile(
  file: File,
  onProgress: (share: number) => void,
): { done: Promise<Uploaded>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Uploaded>((resolve, reject) => {
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('Authorization', `tma ${WebApp.initData}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { upload?: Uploaded; error?: { reason?: string } } | null;
      if (xhr.status === 201 && body?.upload) resolve(body.upload);
      else
        reject(
          new Error(
            body?.error?.reason ??
              (xhr.status === 413 ? 'too_large' : xhr.status === 429 ? 'busy' : 'network'),
          ),
        );
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('aborted'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

let nextKey = 1;

/** The files of one form: add, retry, remove, and what to send. */
export function useFilePicker() {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const aborts = useRef(new Map<number, () => void>());
  useEffect(
    () => () => {
      for (const abort of aborts.current.values()) abort();
    },
    [],
  );

  const update = useCallback((key: number, patch: Partial<PickedFile>) => {
    setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  }, []);

  const start = useCallback(
    (item: PickedFile) => {
      const { done, abort } = sendFile(item.file, (share) => update(item.key, { progress: share }));
      aborts.current.set(item.key, abort);
      done.then(
        (upload) => update(item.key, { upload, progress: 1, error: null }),
        (e: Error) => {
          if (e.message !== 'aborted') {
            haptic.error();
            update(item.key, { error: e.message, progress: 0 });
          }
        },
      );
      void done.finally(() => aborts.current.delete(item.key)).catch(() => {});
    },
    [update],
  );

  const current = useRef(files);
  current.current = files;

  const add = useCallback(
    (picked: File[]) => {
      const room = MAX_FILES - current.current.filter((f) => f.error === null).length;
      const added = picked.map((file, i): PickedFile => {
        const error =
          i >= room
            ? 'too_many'
            : file.size > MAX_FILE_BYTES
              ? 'too_large'
              : file.size === 0
                ? 'no_file'
                : null;
        return { key: nextKey++, file, progress: 0, upload: null, error };
      });
      setFiles((list) => [...list, ...added]);
      for (const item of added) if (item.error === null) start(item);
    },
    [start],
  );

  const remove = useCallback((key: number) => {
    aborts.current.get(key)?.();
    setFiles((list) => list.filter((f) => f.key !== key));
  }, []);

  const retry = useCallback(
    (key: number) => {
      const item = current.current.find((f) => f.key === key);
      if (!item) return;
      update(key, { error: null, progress: 0 });
      start(item);
    },
    [start, update],
  );

  const reset = useCallback(() => setFiles([]), []);
  const uploading = files.some((f) => f.error === null && f.upload === null);
  const ids = files.flatMap((f) => (f.upload ? [f.upload.id] : []));
  return { files, add, remove, retry, reset, uploading, ids };
}

export type FilePickerState = ReturnType<typeof useFilePicker>;

export function FilePicker({ picker, name }: { picker: FilePickerState; name: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="file-picker" data-files={name}>
      {picker.files.length > 0 ? (
        <ul className="file-list">
          {picker.files.map((f) => (
            <li
              key={f.key}
              className="file-row"
              data-file={f.file.name}
              data-state={f.error ? 'error' : f.upload ? 'done' : 'uploading'}
            >
              <div className="file-main">
                <div className="file-name">{f.file.name}</div>
                <div className="hint">
                  {sizeText(f.file.size)}
                  {' · '}
                  {f.error ? (
                    <span className="file-error" role="alert">
                      {t('app-file-failed', { reason: uploadErrorText(f.error) })}
                    </span>
                  ) : f.upload ? (
                    t('app-file-uploaded')
                  ) : (
                    t('app-file-uploading', { percent: Math.round(f.progress * 100) })
                  )}
                </div>
                {f.error || f.upload ? null : (
                  <progress className="file-progress" max={1} value={f.progress} aria-label={f.file.name} />
                )}
              </div>
              {f.error === 'network' || f.error === 'busy' ? (
                <button type="button" className="btn secondary small" onClick={() => picker.retry(f.key)}>
                  {t('app-file-retry')}
                </button>
              ) : null}
              <button
                type="button"
                className="btn secondary small"
                aria-label={`${t('app-file-remove')} ${f.file.name}`}
                onClick={() => picker.remove(f.key)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        ref={input}
        type="file"
        name={name}
        multiple
        accept={ACCEPT}
        hidden
        onChange={(e) => {
          const list = [...(e.target.files ?? [])];
          e.target.value = '';
          if (list.length > 0) {
            haptic.tap();
            picker.add(list);
          }
        }}
      />
      <button
        type="button"
        className="btn secondary"
        data-attach={name}
        onClick={() => input.current?.click()}
      >
        {t('app-file-add')}
      </button>
      <div className="hint file-limits">
        {t('app-file-limits', { count: MAX_FILES, megabytes: MEGABYTES })}
      </div>
    </div>
  );
}
