// A modal preview of a document without leaving the case page: PDFs in a
// frame (with a download link as the fallback), images inline, text as text.
// Native <dialog>: focus moves into it, Escape closes it, and focus returns
// to the button that opened it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { usePack } from '../lib/i18n';
import { previewKind } from './case_api';
import { workspacePack } from './messages';

export interface PreviewSource {
  name: string;         // shown in the title (file name or document title)
  url: string;          // inline address (or a blob: URL)
  downloadUrl: string;  // for the download link
  filename: string;
  contentType: string;
}

const TEXT_LIMIT = 200_000;

export function PreviewDialog({ source, onClose }: { source: PreviewSource; onClose: () => void }) {
  const { t } = usePack(workspacePack);
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState<{ body: string; truncated: boolean } | null>(null);
  const [failed, setFailed] = useState(false);
  const kind = previewKind(source.contentType);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
    return () => opener?.focus?.();
  }, []);
  useEffect(() => {
    if (kind !== 'text') return;
    let alive = true;
    fetch(source.url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((body) => { if (alive) setText({ body: body.slice(0, TEXT_LIMIT), truncated: body.length > TEXT_LIMIT }); })
      .catch(() => { if (alive) setFailed(true); });
    return () => { alive = false; };
  }, [source.url, kind]);
  const title = t('previewTitle', { name: source.name });
  return (
    <dialog ref={ref} class="preview-dialog" aria-labelledby="preview-heading" onClose={onClose}>
      <div class="preview-head">
        <h2 id="preview-heading">{title}</h2>
        <button type="button" class="button button-secondary" onClick={() => ref.current?.close()}>{t('previewClose')}</button>
      </div>
      {kind === 'pdf' ? (
        <>
          <iframe class="preview-frame" title={title} src={source.url} />
          <p>{t('previewPdfFallback')} <a href={source.downloadUrl} download={source.filename}>{t('downloadNamed', { name: source.filename })}</a></p>
        </>
      ) : kind === 'image' ? (
        <>
          <img class="preview-image" src={source.url} alt={source.name} />
          <p><a href={source.downloadUrl} download={source.filename}>{t('downloadNamed', { name: source.filename })}</a></p>
        </>
      ) : kind === 'text' ? (
        failed ? <p role="alert">{t('previewFailed')}</p> : text === null ? <p role="status">{t('previewLoading')}</p> : (
          <>
            <pre class="preview-text" tabIndex={0} aria-label={title}>{text.body}</pre>
            {text.truncated ? <p>{t('previewTruncated', { n: TEXT_LIMIT.toLocaleString() })}</p> : null}
            <p><a href={source.downloadUrl} download={source.filename}>{t('downloadNamed', { name: source.filename })}</a></p>
          </>
        )
      ) : (
        <p>{t('previewNone')} <a href={source.downloadUrl} download={source.filename}>{t('downloadNamed', { name: source.filename })}</a></p>
      )}
    </dialog>
  );
}
