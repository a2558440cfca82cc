// The staff workspace of one administration: sign-in, the inbox (tasks
// assigned to me, tasks of my departments) with filters and sorting, and a
// task page to claim, hand back and complete a task (with its form).
import { lazy, useLocation, useRoute } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, ApiError, setCsrfToken } from '../lib/api';
import { localizeSchema, mapServerErrors } from '../lib/formSchema';
import { useLang } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import type { FormHandle } from '../portal/FormView';

const FormView = lazy(() => import('../portal/FormView').then((m) => m.FormView));

export interface StaffUser { id: string; login: string; displayName?: string; roles: string[]; departments: string[] }
interface Me { user: StaffUser; csrfToken?: string }

export interface Task {
  taskId: string;
  processInstanceId: string;
  elementId: string;
  name?: string;
  assignee?: string | null;
  candidateGroups?: string[];
  dueDate?: string | null;
  followUpDate?: string | null;
  formKey?: string;
  createdAt?: string;
}

const base = (t: string) => `/api/v1/tenants/${encodeURIComponent(t)}`;

export function useMe(tenant: string) {
  const [me, setMe] = useState<StaffUser | null | 'loading'>('loading');
  const load = () => {
    api<Me>(`${base(tenant)}/session/me`).then((m) => {
      if (m.csrfToken) setCsrfToken(m.csrfToken);
      setMe(m.user);
    }, () => setMe(null));
  };
  useEffect(load, [tenant]);
  return { me, reload: load, set: setMe };
}

export function WorkspacePage() {
  const { params } = useRoute();
  const tenant = params['tenant'] ?? '';
  const task = params['task'];
  const { me, set } = useMe(tenant);
  const { t } = useLang();
  if (me === 'loading') return <Layout title={t('workspaceTitle')}><Loading /></Layout>;
  if (me === null) return <LoginPage tenant={tenant} onLogin={(u) => set(u)} />;
  return task ? <TaskPage tenant={tenant} taskId={task} me={me} /> : <InboxPage tenant={tenant} me={me} onLogout={() => set(null)} />;
}

export function LoginPage({ tenant, onLogin }: { tenant: string; onLogin: (u: StaffUser) => void }) {
  const { t, lang } = useLang();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submitLogin = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ csrfToken: string; user: StaffUser }>(`${base(tenant)}/session`, { method: 'POST', body: { login, password }, lang });
      setCsrfToken(r.csrfToken);
      onLogin(r.user);
    } catch (err) {
      const status = err instanceof ApiError ? err.problem.status : 0;
      setError(status === 429 ? t('loginLocked') : status === 0 ? t('networkError') : t('loginFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Layout title={t('loginTitle')}>
      <h1>{t('loginTitle')}</h1>
      {error ? <ErrorSummary items={[{ text: error, href: '#login' }]} /> : null}
      <form class="stacked-form" onSubmit={submitLogin}>
        <label for="login">{t('loginName')}</label>
        <input id="login" name="username" autoComplete="username" required value={login}
          onInput={(e) => setLogin((e.target as HTMLInputElement).value)} />
        <label for="password">{t('password')}</label>
        <input id="password" type="password" name="password" autoComplete="current-password" required value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        <button type="submit" class="button" disabled={busy}>{t('signIn')}</button>
      </form>
    </Layout>
  );
}

type Sort = 'created' | 'due';

export function sortTasks(tasks: Task[], sort: Sort): Task[] {
  const key = (x: Task) => (sort === 'due' ? x.dueDate ?? '9999' : x.createdAt ?? '');
  return [...tasks].sort((a, b) => key(a).localeCompare(key(b)) || a.taskId.localeCompare(b.taskId));
}

function InboxPage({ tenant, me, onLogout }: { tenant: string; me: StaffUser; onLogout: () => void }) {
  const { t, lang } = useLang();
  const [view, setView] = useState<'mine' | 'groups'>('mine');
  const [sort, setSort] = useState<Sort>('created');
  const [filter, setFilter] = useState('');
  const mine = useApi<{ items: Task[] }>(`${base(tenant)}/user-tasks?assignee=${encodeURIComponent(me.login)}&limit=200`);
  const [groupTasks, setGroupTasks] = useState<Task[] | null>(null);
  useEffect(() => {
    if (view !== 'groups') return;
    Promise.all(me.departments.map((d) => api<{ items: Task[] }>(`${base(tenant)}/user-tasks?candidateGroup=${encodeURIComponent(d)}&limit=200`, { lang })))
      .then((pages) => {
        const seen = new Map<string, Task>();
        for (const p of pages) for (const task of p.items) seen.set(task.taskId, task);
        setGroupTasks([...seen.values()]);
      }, () => setGroupTasks([]));
  }, [view, tenant, me.departments.join(',')]);
  const list = view === 'mine' ? mine.data?.items ?? null : groupTasks;
  const shown = useMemo(() => (list ? sortTasks(list, sort).filter((x) =>
    !filter || `${x.name ?? ''} ${x.elementId}`.toLowerCase().includes(filter.toLowerCase())) : null), [list, sort, filter]);
  const logout = async () => {
    try { await api(`${base(tenant)}/session`, { method: 'DELETE' }); } catch { /* gone already */ }
    setCsrfToken(null);
    onLogout();
  };
  const date = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB') : '–');
  return (
    <Layout title={t('inboxTitle')}>
      <div class="workspace-head">
        <h1>{t('inboxTitle')}</h1>
        <p>{t('signedInAs', { name: me.displayName || me.login })} <button type="button" class="link-button" onClick={logout}>{t('signOut')}</button></p>
        {me.roles.some((r) => ['administrator', 'manager', 'process_designer'].includes(r))
          ? <p><a href={`/auswertung/${tenant}`}>{t('dashTitle')}</a></p> : null}
      </div>
      <div class="tabs" role="group" aria-label={t('inboxViews')}>
        <button type="button" class="tab" aria-pressed={view === 'mine'} onClick={() => setView('mine')}>{t('inboxMine')}</button>
        <button type="button" class="tab" aria-pressed={view === 'groups'} onClick={() => setView('groups')}>{t('inboxGroups')}</button>
      </div>
      <div class="inline-form">
        <label for="task-filter">{t('filter')}</label>
        <input id="task-filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <label for="task-sort">{t('sortBy')}</label>
        <select id="task-sort" value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as Sort)}>
          <option value="created">{t('sortCreated')}</option>
          <option value="due">{t('sortDue')}</option>
        </select>
      </div>
      {shown === null ? (mine.problem ? <LoadError message={t('tasksLoadFailed')} retry={mine.reload} /> : <Loading />) : shown.length === 0 ? (
        <p role="status">{t('noTasks')}</p>
      ) : (
        <table class="task-table">
          <caption class="visually-hidden">{view === 'mine' ? t('inboxMine') : t('inboxGroups')}</caption>
          <thead><tr><th scope="col">{t('task')}</th><th scope="col">{t('createdAt')}</th><th scope="col">{t('dueDate')}</th><th scope="col">{t('assignee')}</th></tr></thead>
          <tbody>
            {shown.map((x) => (
              <tr key={x.taskId}>
                <td><a href={`/arbeitsplatz/${tenant}/aufgaben/${encodeURIComponent(x.taskId)}`}>{x.name || x.elementId}</a></td>
                <td>{date(x.createdAt)}</td>
                <td>{date(x.dueDate)}</td>
                <td>{x.assignee ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function TaskPage({ tenant, taskId, me }: { tenant: string; taskId: string; me: StaffUser }) {
  const { t, lang } = useLang();
  const { route } = useLocation();
  const task = useApi<Task>(`${base(tenant)}/user-tasks/${encodeURIComponent(taskId)}`);
  const vars = useApi<Record<string, unknown>>(task.data ? `${base(tenant)}/process-instances/${encodeURIComponent(task.data.processInstanceId)}/variables` : null);
  // The task's form: the latest version of the catalogue form named by formKey.
  const forms = useApi<{ id: string; latestVersion: number }[]>(task.data?.formKey ? `${base(tenant)}/forms` : null);
  const latestForm = task.data?.formKey && forms.data ? forms.data.find((f) => f.id === task.data?.formKey) : undefined;
  const form = useApi<{ schema?: Record<string, unknown> } & Record<string, unknown>>(latestForm
    ? `${base(tenant)}/forms/${encodeURIComponent(latestForm.id)}/versions/${latestForm.latestVersion}` : null);
  const [handle, setHandle] = useState<FormHandle | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ text: string; href?: string }[]>([]);
  const x = task.data;
  const act = async (path: string, method: string, body?: unknown) => {
    setMessage(null);
    try {
      await api(`${base(tenant)}/user-tasks/${encodeURIComponent(taskId)}${path}`, { method, ...(body !== undefined ? { body } : {}), lang });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors.length && handle) {
        const mapped = mapServerErrors(handle.instances(), e.problem.errors, handle.formId());
        handle.setErrors(mapped.errors);
        setSummary(mapped.summary);
      } else setMessage(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
      return false;
    }
  };
  const complete = async () => {
    let variables: Record<string, unknown> = {};
    if (handle) {
      const r = handle.submit();
      if (Object.keys(r.errors).length) {
        setSummary([{ text: t('formHasErrors') }]);
        return;
      }
      variables = r.data;
    }
    if (await act('/completion', 'POST', { variables })) route(`/arbeitsplatz/${tenant}`);
  };
  const rawSchema = form.data ? (form.data['schema'] as Record<string, unknown> | undefined) ?? form.data : null;
  return (
    <Layout title={x?.name ?? t('task')}>
      <p><a href={`/arbeitsplatz/${tenant}`}>{t('backToInbox')}</a></p>
      {task.loading ? <Loading /> : task.problem || !x ? <LoadError message={t('taskLoadFailed')} /> : (
        <>
          <h1>{x.name || x.elementId}</h1>
          {message ? <div class="notice notice-error" role="alert"><p>{message}</p></div> : null}
          <ErrorSummary items={summary} />
          <dl class="facts">
            <dt>{t('assignee')}</dt><dd id="task-assignee">{x.assignee ?? '–'}</dd>
            <dt>{t('candidateGroups')}</dt><dd>{(x.candidateGroups ?? []).join(', ') || '–'}</dd>
            <dt>{t('dueDate')}</dt><dd>{x.dueDate ?? '–'}</dd>
          </dl>
          <div class="form-actions">
            {x.assignee !== me.login ? (
              <button type="button" class="button" onClick={async () => { if (await act('/assignment', 'POST', { assignee: me.login })) task.reload(); }}>{t('claim')}</button>
            ) : (
              <button type="button" class="button button-secondary" onClick={async () => { if (await act('/assignee', 'DELETE')) task.reload(); }}>{t('unclaim')}</button>
            )}
          </div>
          <section aria-labelledby="case-data">
            <h2 id="case-data">{t('caseData')}</h2>
            {vars.loading ? <Loading /> : vars.data ? <pre class="result">{JSON.stringify(vars.data, null, 2)}</pre> : null}
          </section>
          {x.assignee === me.login ? (
            <section aria-labelledby="complete-heading">
              <h2 id="complete-heading">{t('completeTask')}</h2>
              {rawSchema ? <FormView schema={localizeSchema(rawSchema, lang)} data={{}} onReady={setHandle} /> : null}
              <button type="button" class="button" onClick={complete}>{t('completeTask')}</button>
            </section>
          ) : null}
        </>
      )}
    </Layout>
  );
}
