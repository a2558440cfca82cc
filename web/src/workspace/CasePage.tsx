// The case view (E-Akte) of the staff workspace: the case's facts, the open
// task with its form (claim, complete), the submitted data, documents
// (download, upload), messages with the citizen (thread, send), notes, the
// timeline and the hand-over to another department. Every change is
// announced in one polite live region; failures name what went wrong.
import { lazy } from 'preact-iso';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, ApiError } from '../lib/api';
import { localizeSchema, mapServerErrors } from '../lib/formSchema';
import { usePack } from '../lib/i18n';
import { workspacePack } from './messages';
import type { WorkspaceKey as MessageKey } from './messages';
import { useApi } from '../lib/useApi';
import type { FormHandle } from '../portal/FormView';
import {
  variablesOf, flattenData, formatSize, inlineUrl, tenantBase, threadOf, type ExpectedBescheid,
  type CaseDetail, type CaseDocument, type InboxTask, type Note, type PostfachMessage, type TimelineEntry,
} from './case_api';
import { Thread } from './Thread';
import { PreviewDialog, type PreviewSource } from './Preview';
import type { StaffUser } from './Workspace';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;
const EMPTY: Record<string, unknown> = {};
const FormView = lazy(() => import('../portal/FormView').then((m) => m.FormView));

export function caseStatusLabel(status: string, t: T): string {
  const key = `caseStatus_${status}` as MessageKey;
  return ['received', 'in_progress', 'waiting', 'closed'].includes(status) ? t(key) : status;
}

function problemText(e: unknown, t: T): string {
  if (e instanceof ApiError) {
    if (e.problem.status === 0) return t('networkError');
    const fields = e.problem.errors.map((x) => `${x.pointer}: ${x.detail}`).join('; ');
    return [e.problem.detail ?? e.problem.title, fields].filter(Boolean).join(' – ');
  }
  return String(e);
}

// The latest version of the catalogue form a task names (formKey).
function useTaskForm(tenant: string, formKey: string | undefined) {
  const forms = useApi<{ id: string; latestVersion: number }[]>(formKey ? `${tenantBase(tenant)}/forms` : null);
  const latest = formKey && forms.data ? forms.data.find((f) => f.id === formKey) : undefined;
  const form = useApi<{ schema?: Record<string, unknown> } & Record<string, unknown>>(latest
    ? `${tenantBase(tenant)}/forms/${encodeURIComponent(latest.id)}/versions/${latest.latestVersion}` : null);
  return form.data ? (form.data['schema'] as Record<string, unknown> | undefined) ?? form.data : null;
}

export function CasePage({ tenant, caseId, me }: { tenant: string; caseId: string; me: StaffUser }) {
  const { t, lang } = usePack(workspacePack);
  const caseBase = `${tenantBase(tenant)}/cases/${encodeURIComponent(caseId)}`;
  const detail = useApi<CaseDetail>(caseBase);
  const c = detail.data;
  const [announce, setAnnounce] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);  // bumps the sections after a change
  const done = (text: string) => { setError(null); setAnnounce(text); setVersion((v) => v + 1); detail.reload(); };
  const failed = (e: unknown) => { setAnnounce(''); setError(problemText(e, t)); };
  const date = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB') : '–');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { if (c) heading.current?.focus(); }, [c?.id]);
  return (
    <Layout title={c ? t('caseTitle', { number: c.caseNumber }) : t('workspaceTitle')}>
      <p><a href={`/arbeitsplatz/${tenant}`}>{t('backToInbox')}</a></p>
      <p class="visually-hidden" role="status" aria-live="polite" id="case-announce">{announce}</p>
      {announce ? <div class="notice" aria-hidden="true"><p>{announce}</p></div> : null}
      {error ? <div class="notice notice-error" role="alert"><p>{error}</p></div> : null}
      {detail.loading && !c ? <Loading /> : detail.problem || !c ? <LoadError message={t('caseLoadFailed')} retry={detail.reload} /> : (
        <>
          <h1 tabIndex={-1} ref={heading}>{t('caseTitle', { number: c.caseNumber })}</h1>
          <dl class="facts" id="case-facts">
            <dt>{t('service')}</dt><dd>{c.service.name ?? c.serviceId}</dd>
            <dt>{t('applicant')}</dt><dd>{c.applicant.name || '–'}{c.applicant.email ? ` (${c.applicant.email})` : ''}</dd>
            <dt>{t('caseStatus')}</dt><dd data-status={c.status} id="case-status">{caseStatusLabel(c.status, t)}</dd>
            <dt>{t('department')}</dt><dd id="case-department">{c.department.name || c.departmentId}</dd>
            <dt>{t('trackingCode')}</dt><dd>{c.trackingCode}</dd>
            <dt>{t('submittedAt')}</dt><dd>{date(c.submittedAt)}</dd>
            <dt>{t('dueDate')}</dt><dd>{date(c.dueAt)}</dd>
            <dt>{t('assignee')}</dt><dd>{c.assignee ?? '–'}</dd>
          </dl>
          <OpenTasks tenant={tenant} c={c} me={me} onDone={done} onError={failed} />
          <CaseData tenant={tenant} instanceId={c.instanceId} version={version} />
          <Documents tenant={tenant} caseBase={caseBase} version={version} onDone={done} onError={failed} />
          <Messages caseBase={caseBase} code={c.trackingCode} version={version} onDone={done} onError={failed} />
          <Notes caseBase={caseBase} version={version} onDone={done} onError={failed} />
          {c.status !== 'closed' ? <Handover tenant={tenant} caseBase={caseBase} c={c} onDone={done} onError={failed} /> : null}
          <Timeline caseBase={caseBase} version={version} />
        </>
      )}
    </Layout>
  );
}

interface SectionProps { onDone: (text: string) => void; onError: (e: unknown) => void }

function OpenTasks({ tenant, c, me, onDone, onError }: { tenant: string; c: CaseDetail; me: StaffUser } & SectionProps) {
  const { t } = usePack(workspacePack);
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading" tabIndex={-1}>{t('openTasks')}</h2>
      {c.openTasks.length === 0 ? <p>{t('noOpenTasks')}</p>
        : c.openTasks.map((task) => <TaskPanel key={task.id} tenant={tenant} caseId={c.id} task={task} me={me} onDone={onDone} onError={onError} />)}
    </section>
  );
}

function TaskPanel({ tenant, caseId, task, me, onDone, onError }: { tenant: string; caseId: string; task: Omit<InboxTask, 'case'>; me: StaffUser } & SectionProps) {
  const { t, lang } = usePack(workspacePack);
  const raw = useTaskForm(tenant, task.formKey || undefined);
  // One schema object per form and language: FormView re-imports on a new one (and would lose the input).
  const schema = useMemo(() => (raw ? localizeSchema(raw, lang) : null), [raw, lang]);
  const [handle, setHandle] = useState<FormHandle | null>(null);
  const [summary, setSummary] = useState<{ text: string; href?: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const taskUrl = `${tenantBase(tenant)}/inbox/tasks/${encodeURIComponent(task.id)}`;
  const mine = task.assignee === me.login;
  // Taking over a task someone else holds: managers and administrators (the
  // server refuses it to others), after a confirmation naming the holder.
  const mayTakeOver = !mine && !!task.assignee && me.roles.some((r) => r === 'manager' || r === 'administrator');
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => { if (confirming) confirmRef.current?.focus(); }, [confirming]);
  const post = async (path: string, body: unknown, text: string) => {
    setBusy(true);
    try {
      await api(`${taskUrl}${path}`, { method: 'POST', body, lang });
      onDone(text);
    } catch (e) { onError(e); } finally { setBusy(false); }
  };
  const complete = async () => {
    let data: Record<string, unknown> = {};
    if (handle) {
      const r = handle.submit();
      if (Object.keys(r.errors).length) { setSummary([{ text: t('formHasErrors') }]); return; }
      data = r.data;
    }
    setSummary([]);
    setBusy(true);
    try {
      const r = await api<{ caseStatus: string | null; instanceState: string }>(`${taskUrl}/complete`, { method: 'POST', body: { data }, lang });
      onDone(t('taskCompleted', { status: caseStatusLabel(r.caseStatus ?? r.instanceState, t) }));
      // The panel goes away with its task: keep the keyboard user at the task list, not at the page top.
      document.getElementById('tasks-heading')?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors.length && handle) {
        const mapped = mapServerErrors(handle.instances(), e.problem.errors, handle.formId());
        handle.setErrors(mapped.errors);
        setSummary(mapped.summary);
      } else onError(e);
    } finally { setBusy(false); }
  };
  return (
    <div class="task-panel" data-task={task.elementId}>
      <h3>{task.name || task.elementId}</h3>
      <dl class="facts">
        <dt>{t('assignee')}</dt><dd class="task-assignee">{task.assignee ?? '–'}</dd>
        <dt>{t('candidateGroups')}</dt><dd>{task.candidateGroups.join(', ') || '–'}</dd>
        <dt>{t('dueDate')}</dt><dd>{task.dueAt ? new Date(task.dueAt).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB') : '–'}</dd>
      </dl>
      <div class="form-actions">
        {mine ? <button type="button" class="button button-secondary" disabled={busy} onClick={() => post('/unclaim', {}, t('unclaim'))}>{t('unclaim')}</button>
          : mayTakeOver ? <button type="button" class="button button-secondary" disabled={busy || confirming} onClick={() => setConfirming(true)}>{t('takeOver')}</button>
          : <button type="button" class="button" disabled={busy} onClick={() => post('/claim', {}, t('claimed'))}>{t('claim')}</button>}
      </div>
      {confirming && task.assignee ? (
        <div class="notice take-over-confirm">
          <p tabIndex={-1} ref={confirmRef}>{t('takeOverConfirm', { name: task.assignee })}</p>
          <div class="form-actions">
            <button type="button" class="button" disabled={busy} onClick={async () => {
              await post('/assign', { assignee: me.login, takeOver: true }, t('takenOver', { name: task.assignee ?? '' }));
              setConfirming(false);
            }}>{t('takeOverYes')}</button>
            <button type="button" class="button button-secondary" onClick={() => setConfirming(false)}>{t('takeOverNo')}</button>
          </div>
        </div>
      ) : null}
      {mine ? (
        <>
          <ErrorSummary items={summary} />
          {schema ? <FormView schema={schema} data={EMPTY} onReady={setHandle} onChange={setFormData} /> : null}
          <BescheidPreview tenant={tenant} caseId={caseId} taskId={task.id} data={formData} />
          <button type="button" class="button" disabled={busy} onClick={complete}>{t('completeTask')}</button>
        </>
      ) : null}
    </div>
  );
}

// Before the deciding task is completed: the Bescheid the process would send,
// rendered by the server with the case data and this form's current values,
// shown in the preview dialog and stored nowhere.
function BescheidPreview({ tenant, caseId, taskId, data }: { tenant: string; caseId: string; taskId: string; data: Record<string, unknown> }) {
  const { t, lang } = usePack(workspacePack);
  const caseBase = `${tenantBase(tenant)}/cases/${encodeURIComponent(caseId)}`;
  const templates = useApi<{ items: { name: string; title: string }[] }>(`${caseBase}/bescheid-templates`);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewSource | null>(null);
  // The letter the process itself would send with the form as it stands: the
  // server follows the model from this task (debounced while typing).
  const [expected, setExpected] = useState<ExpectedBescheid | null>(null);
  const dataKey = JSON.stringify(data);
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api<ExpectedBescheid>(`${caseBase}/bescheid-preview/expected`, { method: 'POST', body: { taskId, data }, lang })
        .then((e) => { if (!cancelled) setExpected(e); })
        .catch(() => { if (!cancelled) setExpected(null); });
    }, 250);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [caseBase, taskId, dataKey]);
  const items = templates.data?.items ?? [];
  if (items.length === 0) return null;
  const selected = chosen ?? expected?.template ?? '';
  const id = `bescheid-template-${taskId}`;
  const expectedTitle = expected?.template ? (expected.title || expected.template) : '';
  const expectedText = !expected ? '' : expected.template ? t('bescheidExpected', { title: expectedTitle })
    : expected.undetermined ? t('bescheidExpectedOpen') : t('bescheidExpectedNone');
  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      // Rendered on the server and kept there briefly under a link: the page's
      // Content-Security-Policy lets frames load same-origin addresses, not blob: URLs.
      const link = await api<{ url: string; title: string; filename: string }>(`${caseBase}/bescheid-preview/links`,
        { method: 'POST', body: { template: selected, data }, lang });
      const title = link.title || items.find((i) => i.name === selected)?.title || selected;
      setPreview({ name: title, url: link.url, downloadUrl: link.url, filename: `vorschau-${link.filename}`, contentType: 'application/pdf' });
    } catch (e) {
      setError(t('bescheidPreviewFailed', { reason: problemText(e, t) }));
    } finally { setBusy(false); }
  };
  return (
    <div class="bescheid-preview">
      <h4>{t('bescheidPreview')}</h4>
      <p class="muted" id={`${id}-hint`}>{t('bescheidPreviewHint')}</p>
      {expectedText ? <p class="bescheid-expected" id={`${id}-expected`}>{expectedText}</p> : null}
      <label for={id}>{t('bescheidTemplate')}</label>
      <select id={id} value={selected} aria-describedby={expectedText ? `${id}-expected` : undefined}
        onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
        {selected === '' ? <option value="">{t('bescheidTemplateChoose')}</option> : null}
        {items.map((i) => <option key={i.name} value={i.name}>{i.title ? `${i.title} (${i.name})` : i.name}</option>)}
      </select>
      <button type="button" class="button button-secondary" disabled={busy || selected === ''} aria-describedby={`${id}-hint`} onClick={show}>{t('bescheidPreviewButton')}</button>
      {error ? <p class="notice notice-error" role="alert">{error}</p> : null}
      {preview ? <PreviewDialog source={preview} onClose={() => setPreview(null)} /> : null}
    </div>
  );
}

function CaseData({ tenant, instanceId, version }: { tenant: string; instanceId: string; version: number }) {
  const { t } = usePack(workspacePack);
  const vars = useApi<Record<string, unknown>>(`${tenantBase(tenant)}/process-instances/${encodeURIComponent(instanceId)}/variables?v=${version}`);
  const rows = vars.data ? flattenData(variablesOf(vars.data)) : [];
  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">{t('caseData')}</h2>
      {vars.loading && !vars.data ? <Loading /> : vars.problem ? <LoadError message={vars.problem.detail ?? vars.problem.title} /> : (
        <div class="table-scroll">
          <table class="data-table" id="case-data">
            <caption class="visually-hidden">{t('caseData')}</caption>
            <thead><tr><th scope="col">{t('field')}</th><th scope="col">{t('value')}</th></tr></thead>
            <tbody>{rows.map((r) => <tr key={r.path}><th scope="row">{r.path}</th><td>{r.value}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Documents({ tenant, caseBase, version, onDone, onError }: { tenant: string; caseBase: string; version: number } & SectionProps) {
  const { t, lang } = usePack(workspacePack);
  const docs = useApi<{ items: CaseDocument[] }>(`${caseBase}/documents?v=${version}`);
  const [busy, setBusy] = useState(false);
  const upload = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const fd = new FormData(form);
    const file = fd.get('file');
    if (!(file instanceof File) || !file.name) { onError(new ApiError({ title: t('uploadFile'), status: 422, errors: [] })); return; }
    if (!String(fd.get('title') ?? '')) fd.delete('title');
    // A new version of an existing document, or a new document.
    const of = String(fd.get('of') ?? '');
    fd.delete('of');
    const target = items.find((d) => d.documentId === of);
    setBusy(true);
    try {
      const v = await api<{ version: number }>(target ? `${caseBase}/documents/${encodeURIComponent(target.documentId)}/versions` : `${caseBase}/documents`,
        { method: 'POST', body: fd, lang });
      form.reset();
      onDone(target ? t('uploadedVersion', { name: file.name, version: v.version, title: target.title || target.filename }) : t('uploaded', { name: file.name }));
    } catch (err) { onError(err); } finally { setBusy(false); }
  };
  const items = docs.data?.items ?? [];
  const [preview, setPreview] = useState<PreviewSource | null>(null);
  void tenant;
  return (
    <section aria-labelledby="docs-heading">
      <h2 id="docs-heading">{t('documents')}</h2>
      {docs.loading && !docs.data ? <Loading /> : docs.problem ? <LoadError message={docs.problem.detail ?? docs.problem.title} /> : items.length === 0 ? <p>{t('noDocuments')}</p> : (
        <div class="table-scroll">
          <table class="data-table" id="case-documents">
            <caption>{t('documentsCaption')}</caption>
            <thead><tr><th scope="col">{t('documentTitle')}</th><th scope="col">{t('version')}</th><th scope="col">{t('fileSize')}</th><th scope="col">{t('createdAt')}</th><th scope="col">{t('download')}</th><th scope="col">{t('preview')}</th></tr></thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.documentId}>
                  <td>{d.title || d.filename}</td>
                  <td>{d.version}</td>
                  <td>{formatSize(d.size, lang)}</td>
                  <td>{new Date(d.createdAt).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB')}</td>
                  <td><a href={`${caseBase}/documents/${encodeURIComponent(d.documentId)}/versions/${d.version}/content`} download={d.filename}>{t('downloadNamed', { name: d.filename })}</a></td>
                  <td>
                    <button type="button" class="button button-secondary" aria-label={t('previewNamed', { name: d.filename })}
                      onClick={() => {
                        const url = `${caseBase}/documents/${encodeURIComponent(d.documentId)}/versions/${d.version}/content`;
                        setPreview({ name: d.title || d.filename, url: inlineUrl(url), downloadUrl: url, filename: d.filename, contentType: d.contentType });
                      }}>{t('preview')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview ? <PreviewDialog source={preview} onClose={() => setPreview(null)} /> : null}
      <p><a href={`${caseBase}/export.zip`} download>{t('exportCase')}</a></p>
      <form class="stacked-form" onSubmit={upload}>
        <h3>{t('uploadDocument')}</h3>
        <label for="doc-file">{t('uploadFile')}</label>
        <input id="doc-file" name="file" type="file" required />
        <label for="doc-title">{t('uploadTitle')}</label>
        <input id="doc-title" name="title" maxLength={300} />
        {items.some((d) => d.kind !== 'bescheid') ? (
          <>
            <label for="doc-of">{t('uploadAsVersionOf')}</label>
            <select id="doc-of" name="of">
              <option value="">{t('uploadNewDocument')}</option>
              {items.filter((d) => d.kind !== 'bescheid').map((d) => <option key={d.documentId} value={d.documentId}>{`${d.title || d.filename} (${t('version')} ${d.version})`}</option>)}
            </select>
          </>
        ) : null}
        <button type="submit" class="button button-secondary" disabled={busy}>{t('uploadDocument')}</button>
      </form>
    </section>
  );
}

function Messages({ caseBase, code, version, onDone, onError }: { caseBase: string; code: string; version: number } & SectionProps) {
  const { t, lang } = usePack(workspacePack);
  const list = useApi<{ items: PostfachMessage[] }>(`${caseBase}/messages?v=${version}`);
  const [busy, setBusy] = useState(false);
  const thread = threadOf(list.data?.items ?? [], 'office');
  // Shown is read: mark the citizen's unread messages read by the office.
  const unreadKey = thread.unread.join(',');
  useEffect(() => {
    for (const id of thread.unread) {
      api(`${caseBase}/messages/${encodeURIComponent(id)}/read`, { method: 'POST', lang }).catch(() => null);
    }
  }, [unreadKey]);
  const send = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const fd = new FormData(form);
    const data = { subject: String(fd.get('subject') ?? ''), text: String(fd.get('text') ?? '') };
    const file = fd.get('file');
    setBusy(true);
    try {
      if (file instanceof File && file.name) {
        const body = new FormData();
        body.append('data', JSON.stringify(data));
        body.append('file', file, file.name);
        await api(`${caseBase}/messages`, { method: 'POST', body, lang });
      } else await api(`${caseBase}/messages`, { method: 'POST', body: data, lang });
      form.reset();
      onDone(t('messageSent'));
    } catch (err) { onError(err); } finally { setBusy(false); }
  };
  return (
    <section aria-labelledby="msgs-heading">
      <h2 id="msgs-heading">{t('messages')}</h2>
      {list.loading && !list.data ? <Loading /> : list.problem ? <LoadError message={list.problem.detail ?? list.problem.title} />
        : <Thread messages={thread.messages} reader="office" attachmentUrl={(m, i) => `${caseBase}/messages/${encodeURIComponent(m)}/attachments/${i}`} />}
      <form class="stacked-form" onSubmit={send}>
        <h3>{t('sendMessage')}</h3>
        <label for="msg-subject">{t('subject')}</label>
        <input id="msg-subject" name="subject" required maxLength={200} defaultValue={t('caseTitle', { number: code })} />
        <label for="msg-text">{t('messageText')}</label>
        <textarea id="msg-text" name="text" required rows={4} />
        <label for="msg-file">{t('attachmentOptional')}</label>
        <input id="msg-file" name="file" type="file" />
        <button type="submit" class="button button-secondary" disabled={busy}>{t('sendMessage')}</button>
      </form>
    </section>
  );
}

function Notes({ caseBase, version, onDone, onError }: { caseBase: string; version: number } & SectionProps) {
  const { t, lang } = usePack(workspacePack);
  const notes = useApi<{ items: Note[] }>(`${caseBase}/notes?v=${version}`);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api(`${caseBase}/notes`, { method: 'POST', body: { text }, lang });
      setText('');
      onDone(t('noteAdded'));
    } catch (err) { onError(err); } finally { setBusy(false); }
  };
  const items = notes.data?.items ?? [];
  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading">{t('notes')}</h2>
      {items.length === 0 ? <p>{t('noNotes')}</p> : (
        <ul class="notes" id="case-notes">
          {items.map((n) => <li key={n.id}><p>{n.text}</p><p class="message-meta">{n.author} · {new Date(n.createdAt).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB')}</p></li>)}
        </ul>
      )}
      <form class="stacked-form" onSubmit={add}>
        <label for="note-text">{t('noteText')}</label>
        <textarea id="note-text" required rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" class="button button-secondary" disabled={busy}>{t('addNote')}</button>
      </form>
    </section>
  );
}

function Handover({ tenant, caseBase, c, onDone, onError }: { tenant: string; caseBase: string; c: CaseDetail } & SectionProps) {
  const { t, lang } = usePack(workspacePack);
  const depts = useApi<{ id: string; name: string }[]>(`${tenantBase(tenant)}/departments`);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await api<{ to: string; tasksMoved: number }>(`${caseBase}/handover`, { method: 'POST', body: { department: to, reason }, lang });
      const name = depts.data?.find((d) => d.id === r.to)?.name ?? r.to;
      setReason('');
      setTo('');
      onDone(t('handoverDone', { to: name, n: r.tasksMoved }));
    } catch (err) { onError(err); } finally { setBusy(false); }
  };
  return (
    <section aria-labelledby="handover-heading">
      <h2 id="handover-heading">{t('handover')}</h2>
      <form class="stacked-form" onSubmit={submit}>
        <label for="handover-to">{t('handoverTo')}</label>
        <select id="handover-to" required value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
          <option value="">{t('chooseDepartment')}</option>
          {(depts.data ?? []).filter((d) => d.id !== c.departmentId).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
        <label for="handover-reason">{t('handoverReason')}</label>
        <textarea id="handover-reason" required rows={2} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" class="button button-secondary" disabled={busy}>{t('handover')}</button>
      </form>
    </section>
  );
}

// A timeline entry as one line of text (process step, audit action, note).
export function timelineText(e: TimelineEntry): string {
  if (e.kind === 'note') return typeof e.details?.['text'] === 'string' ? e.details['text'] : e.type;
  if (e.kind === 'process') return e.element ? `${e.type} · ${e.element}` : e.type;
  const task = typeof e.details?.['task'] === 'string' ? ` · ${e.details['task']}` : '';
  return `${e.type}${task}`;
}

function Timeline({ caseBase, version }: { caseBase: string; version: number }) {
  const { t, lang } = usePack(workspacePack);
  const tl = useApi<{ items: TimelineEntry[] }>(`${caseBase}/timeline?v=${version}`);
  const items = tl.data?.items ?? [];
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('timeline')}</h2>
      {tl.loading && !tl.data ? <Loading /> : (
        <div class="table-scroll">
          <table class="data-table" id="case-timeline">
            <caption>{t('timelineCaption')}</caption>
            <thead><tr><th scope="col">{t('when')}</th><th scope="col">{t('what')}</th><th scope="col">{t('who')}</th></tr></thead>
            <tbody>
              {items.map((e, i) => (
                <tr key={i} data-kind={e.kind}>
                  <td>{new Date(e.at).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB')}</td>
                  <td>{timelineText(e)}</td>
                  <td>{e.actor ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
