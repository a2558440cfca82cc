// The citizen's postbox of one application: /{tenant}/postfach/{code}?key=…
// (the receipt page links here with the receipt key). Shows the thread with
// downloadable attachments, marks the administration's messages read once
// shown, and sends a reply with text and an optional file.
import { useRoute } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, ApiError } from '../lib/api';
import { useLang } from '../lib/i18n';
import { threadOf, type PostfachMessage } from '../workspace/case_api';
import { Thread } from '../workspace/Thread';
import { themeOf, useTenant } from './TenantPage';

export const postfachPath = (code: string) => `/api/v1/postfach/${encodeURIComponent(code)}/messages`;

export function PostfachPage() {
  const { params, query } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const code = params['code'] ?? '';
  const key = query['key'] ?? '';
  const { t, lang } = useLang();
  const tenant = useTenant(tenantId);
  const [items, setItems] = useState<PostfachMessage[] | null>(null);
  const [newCount, setNewCount] = useState(0);  // unread when the page opened
  const [status, setStatus] = useState<number | null>(null);
  const [nonce, setNonce] = useState(0);
  const [announce, setAnnounce] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headers = { 'X-Postfach-Key': key };
  useEffect(() => {
    let gone = false;
    setStatus(null);
    api<{ items: PostfachMessage[] }>(postfachPath(code), { headers, lang }).then(async (r) => {
      if (gone) return;
      setItems(r.items);
      setNewCount(threadOf(r.items, 'citizen').unread.length);
      // Shown is read: mark the administration's unread messages.
      const unread = threadOf(r.items, 'citizen').unread;
      if (!unread.length) return;
      const marked = await Promise.all(unread.map((id) => api<{ id: string; readByCitizenAt: string | null }>(
        `${postfachPath(code)}/${encodeURIComponent(id)}/read`, { method: 'POST', headers, lang }).catch(() => null)));
      if (gone) return;
      const at = new Map(marked.filter((m) => m !== null).map((m) => [m.id, m.readByCitizenAt]));
      setItems(r.items.map((m) => (at.has(m.id) ? { ...m, readByCitizenAt: at.get(m.id) ?? null } : m)));
    }, (e: unknown) => {
      if (!gone) setStatus(e instanceof ApiError ? e.problem.status : 0);
    });
    return () => { gone = true; };
  }, [code, key, nonce]);
  const thread = threadOf(items ?? [], 'citizen');
  const reply = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const fd = new FormData(form);
    const data = { subject: t('replySubject', { code }), text: String(fd.get('text') ?? '') };
    const file = fd.get('file');
    setBusy(true);
    setError(null);
    try {
      if (file instanceof File && file.name) {
        const body = new FormData();
        body.append('data', JSON.stringify(data));
        body.append('file', file, file.name);
        await api(postfachPath(code), { method: 'POST', body, headers, lang });
      } else await api(postfachPath(code), { method: 'POST', body: data, headers, lang });
      form.reset();
      setAnnounce(t('replySent'));
      setNonce((n) => n + 1);
    } catch (err) {
      setAnnounce('');
      setError(err instanceof ApiError
        ? [err.problem.detail ?? err.problem.title, ...err.problem.errors.map((x) => `${x.pointer}: ${x.detail}`)].join(' – ')
        : String(err));
    } finally { setBusy(false); }
  };
  return (
    <Layout title={t('postfachTitle', { code })} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <h1>{t('postfachTitle', { code })}</h1>
      <p>{t('postfachIntro')}</p>
      <p role="status" id="postfach-announce">{announce}</p>
      {error ? <div class="notice notice-error" role="alert"><p>{error}</p></div> : null}
      {items === null ? (status === null ? <Loading /> : <LoadError message={status === 404 ? t('postfachUnknown') : t('postfachLoadFailed')} />) : (
        <>
          {newCount ? <p>{t('postfachUnread', { n: newCount })}</p> : null}
          <section aria-labelledby="thread-heading">
            <h2 id="thread-heading">{t('messages')}</h2>
            <Thread messages={thread.messages} reader="citizen"
              attachmentUrl={(m, i) => `${postfachPath(code)}/${encodeURIComponent(m)}/attachments/${i}?key=${encodeURIComponent(key)}`} />
          </section>
          <section aria-labelledby="reply-heading">
            <h2 id="reply-heading">{t('reply')}</h2>
            <form class="stacked-form" onSubmit={reply}>
              <label for="reply-text">{t('messageText')}</label>
              <textarea id="reply-text" name="text" required rows={5} />
              <label for="reply-file">{t('attachmentOptional')}</label>
              <input id="reply-file" name="file" type="file" accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,.txt,.xml" />
              <button type="submit" class="button" disabled={busy}>{t('reply')}</button>
            </form>
          </section>
          <p><a href={`/${tenantId}/status/${encodeURIComponent(code)}`}>{t('showStatus')}</a></p>
        </>
      )}
    </Layout>
  );
}
