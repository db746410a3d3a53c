// The full-screen image viewer: one image at a time, fitted to the screen; swipe left or right (or the
// arrows, or the keyboard) for the next one; swipe down, tap ✕, tap beside the image or press Escape to close.
import { useEffect, useRef, useState } from 'react';
import { t } from '../i18n.ts';
import type { Attachment } from '../types.ts';
import { useImageUrl } from './Attachments.tsx';

function Slide({ file }: { file: Attachment }) {
  const src = useImageUrl(file.url);
  return src ? (
    <img className="viewer-image" src={src} alt={file.fileName ?? t('app-file-photo')} draggable={false} />
  ) : (
    <div className="spinner" role="progressbar" />
  );
}

export default function ImageViewer({
  images,
  start,
  onClose,
}: {
  images: Attachment[];
  start: number;
  onClose: () => void;
}) {
  const [index, setIndex] = useState(start);
  const [shift, setShift] = useState({ x: 0, y: 0 });
  const touch = useRef<{ x: number; y: number } | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const count = images.length;
  const go = (step: number) => setIndex((i) => Math.min(count - 1, Math.max(0, i + step)));

  useEffect(() => {
    dialog.current?.focus();
    const { overflow } = document.body.style;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
    };
  }, []);

  const file = images[index];
  if (!file) return null;
  return (
    <div
      ref={dialog}
      className="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={file.fileName ?? t('app-file-photo')}
      data-viewer={file.id}
      tabIndex={-1}
      onClick={(e) => {
        // A tap beside the image (on the dark stage) closes the viewer.
        if ((e.target as HTMLElement).classList.contains('viewer-stage')) onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        else if (e.key === 'ArrowRight') go(1);
        else if (e.key === 'ArrowLeft') go(-1);
      }}
      onTouchStart={(e) => {
        const p = e.touches[0];
        if (p && e.touches.length === 1) touch.current = { x: p.clientX, y: p.clientY };
      }}
      onTouchMove={(e) => {
        const p = e.touches[0];
        if (!touch.current || !p) return;
        setShift({ x: p.clientX - touch.current.x, y: p.clientY - touch.current.y });
      }}
      onTouchEnd={() => {
        const { x, y } = shift;
        touch.current = null;
        setShift({ x: 0, y: 0 });
        if (Math.abs(y) > 100 && Math.abs(y) > Math.abs(x)) onClose();
        else if (x < -60) go(1);
        else if (x > 60) go(-1);
      }}
    >
      <div className="viewer-bar">
        <span className="viewer-count">
          {count > 1 ? t('app-viewer-count', { n: index + 1, total: count }) : ''}
        </span>
        <button type="button" className="viewer-close" aria-label={t('app-viewer-close')} onClick={onClose}>
          ✕
        </button>
      </div>
      <div
        className="viewer-stage"
        style={
          shift.x || shift.y ? { transform: `translate(${shift.x}px, ${Math.max(0, shift.y)}px)` } : undefined
        }
      >
        <Slide key={file.id} file={file} />
      </div>
      {index > 0 ? (
        <button
          type="button"
          className="viewer-nav prev"
          aria-label={t('app-viewer-previous')}
          onClick={() => go(-1)}
        >
          ‹
        </button>
      ) : null}
      {index < count - 1 ? (
        <button
          type="button"
          className="viewer-nav next"
          aria-label={t('app-viewer-next')}
          onClick={() => go(1)}
        >
          ›
        </button>
      ) : null}
    </div>
  );
}
