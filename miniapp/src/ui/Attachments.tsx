// A ticket's or a comment's files: images as thumbnails that open the full-screen viewer, other files as
// rows with their name and size that download. The API wants the init data in a header, so images are
// fetched with it and shown from blob URLs (kept for the launch: a thumbnail and the viewer share one).
import { lazy, Suspense, useEffect, useState } from 'react';
import { download } from '../api.ts';
import { t } from '../i18n.ts';
import { haptic, WebApp } from '../telegram.ts';
import type { Attachment } from '../types.ts';
import { toast } from './common.tsx';
import { sizeText } from './FilePicker.tsx';

const ImageViewer = lazy(() => import('./ImageViewer.tsx'));

const IMAGE = /^image\/(jpeg|png|gif|webp)$/;

/** Shown inline: uploaded images (their type found by the server) and Telegram's photos. */
export function isImage(a: Attachment): boolean {
  return a.kind === 'photo' || IMAGE.test(a.mimeType ?? '');
}

const blobs = new Map<string, Promise<string>>();

/** A blob URL of an image the API serves (fetched once per launch). */
export function imageUrl(url: string): Promise<string> {
  let found = blobs.get(url);
  if (!found) {
    found = fetch(url, { headers: { Authorization: `tma ${WebApp.initData}` } })
      .then((res) => {
        if (!res.ok) throw new Error(String(res.status));
        return res.blob();
      })
      .then((blob) => URL.createObjectURL(blob));
    found.catch(() => blobs.delete(url));
    blobs.set(url, found);
  }
  return found;
}

export function useImageUrl(url: string): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    imageUrl(url).then(
      (u) => live && setSrc(u),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [url]);
  return src;
}

function Thumbnail({ file, onOpen }: { file: Attachment; onOpen: () => void }) {
  const src = useImageUrl(file.url);
  const name = file.fileName ?? t('app-file-photo');
  return (
    <button
      type="button"
      className="thumb"
      data-thumbnail={file.id}
      aria-label={t('app-file-open', { name })}
      onClick={() => {
        haptic.tap();
        onOpen();
      }}
    >
      {src ? <img src={src} alt={name} draggable={false} /> : <span className="thumb-placeholder" />}
    </button>
  );
}

export function Attachments({ files }: { files: Attachment[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (files.length === 0) return null;
  const images = files.filter(isImage);
  const others = files.filter((f) => !isImage(f));
  return (
    <div className="attachments" data-attachments>
      {images.length > 0 ? (
        <div className="thumbs">
          {images.map((f, i) => (
            <Thumbnail key={f.id} file={f} onOpen={() => setOpen(i)} />
          ))}
        </div>
      ) : null}
      {others.map((f) => (
        <button
          key={f.id}
          type="button"
          className="file-row file-download"
          data-attachment={f.id}
          onClick={() => {
            haptic.tap();
            download(f.url, {}, f.fileName ?? `file-${f.id}`).catch((e: unknown) => toast(String(e)));
          }}
        >
          <span className="file-icon" aria-hidden>
            📄
          </span>
          <span className="file-main">
            <span className="file-name">{f.fileName ?? t('app-file-file')}</span>
            <span className="hint">{sizeText(f.size)}</span>
          </span>
          <span className="file-action">{t('app-file-download')}</span>
        </button>
      ))}
      {open !== null ? (
        <Suspense fallback={null}>
          <ImageViewer images={images} start={open} onClose={() => setOpen(null)} />
        </Suspense>
      ) : null}
    </div>
  );
}
