// The staff workspace of one administration: sign-in, the inbox (GET /inbox:
// mine, my departments, unassigned, all; service/department filters, sorting,
// cursor pages) with the case summary per task, the case search, the case view
// (CasePage.tsx) and a task page to claim, hand back and complete a task.
import { lazy, useLocation, useRoute } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, ApiError, setCsrfToken } from '../lib/api';
import { localizeSchema, mapServerErrors } from '../lib/formSchema';
import { pick, usePack, type Lang } from '../lib/i18n';
import { workspacePack } from './messages';
import type { WorkspaceKey as MessageKey } from './messages';
import { useApi } from '../lib/useApi';
import type { FormHandle } from '../portal/FormView';
import { appendPage, filterInbox, inboxUrl, sortInbox, type CaseSummary, type InboxSort, type InboxTask, type Scope } from './case_api';
import { CasePage, caseStatusLabel } from './CasePage';

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
  const { t } = usePack(workspacePack);
  if (me === 'loading') return <Layout title={t('workspaceTitle')}><Loading /></Layout>;
  if (me === null) return <LoginPage tenant={tenant} onLogin={(u) => set(u)} />;
  const caseId = params['case'];
  if (caseId) return <CasePage tenant={tenant} caseId={caseId} me={me} />;
  return task ? <TaskPage tenant={tenant} taskId={task} me={me} /> : <InboxPage tenant={tenant} me={me} onLogout={() => set(null)} />;
}

export function LoginPage({ tenant, onLogin }: { tenant: string; onLogin: (u: StaffUser) => void }) {
  const { t, lang } = usePack(workspacePack);
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

function InboxPage({ tenant, me, onLogout }: { tenant: string; me: StaffUser; onLogout: () => void }) {
  const { t, lang } = usePack(workspacePack);
  const [scope, setScope] = useState<Scope>('mine');
  const [department, setDepartment] = useState('');
  const [service, setService] = useState('');
  const [sort, setSort] = useState<InboxSort>('created');
  const [filter, setFilter] = useState('');
  const [tasks, setTasks] = useState<InboxTask[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const services = useApi<{ id: string; name: { de?: string; en?: string } | string }[] | { items: { id: string; name: { de?: string; en?: string } | string }[] }>(`${base(tenant)}/services`);
  const serviceList = services.data ? (Array.isArray(services.data) ? services.data : services.data.items) : [];
  const load = async (cursor: string | null) => {
    setBusy(true);
    setProblem(null);
    try {
      const page = await api<{ items: InboxTask[]; nextCursor: string | null }>(
        inboxUrl(tenant, { scope, department, service, cursor, limit: 50 }), { lang });
      setTasks((prev) => (cursor && prev ? appendPage(prev, page.items) : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setProblem(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
      if (!cursor) setTasks(null);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => { setTasks(null); void load(null); }, [tenant, scope, department, service]);
  const shown = useMemo(() => (tasks ? filterInbox(sortInbox(tasks, sort), filter) : null), [tasks, sort, filter]);
  const logout = async () => {
    try { await api(`${base(tenant)}/session`, { method: 'DELETE' }); } catch { /* gone already */ }
    setCsrfToken(null);
    onLogout();
  };
  const date = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB') : '–');
  const scopes: [Scope, MessageKey][] = [['mine', 'inboxMine'], ['departments', 'inboxGroups'], ['unassigned', 'inboxUnassigned'], ['all', 'inboxAll']];
  const scopeLabel = t(scopes.find(([s]) => s === scope)?.[1] ?? 'inboxMine');
  // The other areas this account may use (the server checks the roles again).
  const has = (...roles: string[]) => me.roles.some((r) => roles.includes(r));
  const areas: [string, string][] = [
    ...(has('administrator', 'manager', 'process_designer') ? [[`/auswertung/${tenant}`, t('dashTitle')] as [string, string]] : []),
    ...(has('administrator', 'process_designer') ? [[`/designer/${tenant}`, t('designerLink')] as [string, string]] : []),
    ...(has('administrator') ? [[`/verwaltung/${tenant}`, t('adminLink')] as [string, string]] : []),
  ];
  return (
    <Layout title={t('inboxTitle')}>
      <div class="workspace-head">
        <h1>{t('inboxTitle')}</h1>
        <p>{t('signedInAs', { name: me.displayName || me.login })} <button type="button" class="link-button" onClick={logout}>{t('signOut')}</button></p>
        {areas.length ? <ul class="area-links">{areas.map(([href, text]) => <li key={href}><a href={href}>{text}</a></li>)}</ul> : null}
      </div>
      <SearchBox tenant={tenant} />
      <h2 class="visually-hidden">{scopeLabel}</h2>
      <div class="tabs" role="group" aria-label={t('inboxViews')}>
        {scopes.map(([s, key]) => (
          <button key={s} type="button" class="tab" aria-pressed={scope === s} onClick={() => setScope(s)}>{t(key)}</button>
        ))}
      </div>
      <div class="inline-form">
        {scope !== 'mine' && me.departments.length > 1 ? (
          <div class="field">
            <label for="task-department">{t('inboxDepartment')}</label>
            <select id="task-department" value={department} onChange={(e) => setDepartment((e.target as HTMLSelectElement).value)}>
              <option value="">{t('anyOption')}</option>
              {me.departments.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </div>
        ) : null}
        <div class="field">
          <label for="task-service">{t('inboxService')}</label>
          <select id="task-service" value={service} onChange={(e) => setService((e.target as HTMLSelectElement).value)}>
            <option value="">{t('anyOption')}</option>
            {serviceList.map((s) => <option key={s.id} value={s.id}>{typeof s.name === 'string' ? s.name : pick(lang, s.name)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="task-filter">{t('filter')}</label>
          <input id="task-filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="task-sort">{t('sortBy')}</label>
          <select id="task-sort" value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as InboxSort)}>
            <option value="created">{t('sortCreated')}</option>
            <option value="due">{t('sortDue')}</option>
            <option value="case">{t('sortCase')}</option>
          </select>
        </div>
      </div>
      {problem ? <LoadError message={`${t('tasksLoadFailed')} ${problem}`} retry={() => void load(null)} /> : null}
      {shown === null ? (problem ? null : <Loading />) : shown.length === 0 ? (
        <p role="status">{t('noTasks')}</p>
      ) : (
        <>
          <p role="status" class="visually-hidden">{t('tasksShown', { n: shown.length })}</p>
          <div class="table-scroll">
            <table class="task-table" id="inbox">
              <caption class="visually-hidden">{scopeLabel}</caption>
              <thead><tr>
                <th scope="col">{t('task')}</th><th scope="col">{t('caseNumber')}</th><th scope="col">{t('service')}</th>
                <th scope="col">{t('applicant')}</th><th scope="col">{t('createdAt')}</th><th scope="col">{t('dueDate')}</th><th scope="col">{t('assignee')}</th>
              </tr></thead>
              <tbody>
                {shown.map((x) => (
                  <tr key={x.id} data-case={x.case?.caseNumber ?? ''}>
                    <td><a href={`/arbeitsplatz/${tenant}/aufgaben/${encodeURIComponent(x.id)}`}>{x.name || x.elementId}</a></td>
                    <td>{x.case ? <a href={`/arbeitsplatz/${tenant}/faelle/${encodeURIComponent(x.case.id)}`} aria-label={t('openCase', { number: x.case.caseNumber })}>{x.case.caseNumber}</a> : '–'}</td>
                    <td>{x.case ? serviceName(serviceList, x.case.serviceId, lang) : '–'}</td>
                    <td>{x.case?.applicant.name || '–'}</td>
                    <td>{date(x.createdAt)}</td>
                    <td>{date(x.dueAt ?? x.case?.dueAt)}</td>
                    <td>{x.assignee ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next ? <button type="button" class="button button-secondary" disabled={busy} onClick={() => void load(next)}>{t('loadMore')}</button> : null}
        </>
      )}
    </Layout>
  );
}

function serviceName(list: { id: string; name: { de?: string; en?: string } | string }[], id: string, lang: Lang): string {
  const s = list.find((x) => x.id === id);
  if (!s) return id;
  return typeof s.name === 'string' ? s.name : pick(lang, s.name);
}

// Full-text search over the tenant's cases (GET /search), results link to the case view.
function SearchBox({ tenant }: { tenant: string }) {
  const { t, lang } = usePack(workspacePack);
  const [q, setQ] = useState('');
  const [result, setResult] = useState<{ q: string; items: CaseSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ items: CaseSummary[] }>(`${base(tenant)}/search?q=${encodeURIComponent(q)}&limit=20`, { lang });
      setResult({ q, items: r.items });
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : String(err));
    }
  };
  return (
    <div class="workspace-search">
      <form class="inline-form" role="search" onSubmit={run}>
        <div class="field">
          <label for="case-search">{t('search')}</label>
          <input id="case-search" type="search" required value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="button button-secondary">{t('searchButton')}</button>
      </form>
      {error ? <div class="notice notice-error" role="alert"><p>{error}</p></div> : null}
      <div role="status">{result ? (result.items.length ? t('searchCount', { n: result.items.length }) : t('searchNone')) : null}</div>
      {result && result.items.length ? (
        <section aria-labelledby="search-heading">
          <h2 id="search-heading">{t('searchResults', { q: result.q })}</h2>
          <ul class="search-results">
            {result.items.map((c) => (
              <li key={c.id}>
                <a href={`/arbeitsplatz/${tenant}/faelle/${encodeURIComponent(c.id)}`}>{c.caseNumber}</a>
                {' '}{c.applicant.name || ''} · {caseStatusLabel(c.status, t)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function TaskPage({ tenant, taskId, me }: { tenant: string; taskId: string; me: StaffUser }) {
  const { t, lang } = usePack(workspacePack);
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
