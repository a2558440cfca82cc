// Administration of one municipality (administrators only): departments,
// staff accounts with roles and departments, and the service catalogue
// (names, fees, processing time, publication). Every write goes through the
// same API as integrations use; the server's per-field problems are shown at
// the fields and in an error summary.
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ErrorSummary, type SummaryItem } from '../components/ErrorSummary';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, ApiError } from '../lib/api';
import { usePack, type MessageKey } from '../lib/i18n';
import { adminPack } from './messages';
import { serviceDocument } from '../lib/serviceDoc';
import { useApi } from '../lib/useApi';
import { LoginPage, useMe, type StaffUser } from '../workspace/Workspace';

const base = (t: string) => `/api/v1/tenants/${encodeURIComponent(t)}`;

interface Department { id: string; name: string; staffGroups?: string[]; contact?: { email?: string; phone?: string; room?: string } }
interface User { id: string; login: string; displayName: string; email: string; roles: string[]; departments: string[]; active: boolean }
interface Service {
  id: string; leika: string; published: boolean; name: { de: string; en?: string }; fees?: string;
  processingTimeDays: number; responsibility?: { department?: string; decision?: string }; [k: string]: unknown;
}

export const staffRoles = ['administrator', 'process_designer', 'case_worker', 'manager'] as const;
const roleKey: Record<string, AdminKey> = {
  administrator: 'roleAdministrator', process_designer: 'roleDesigner', case_worker: 'roleCaseWorker', manager: 'roleManager',
};

type Tab = 'departments' | 'users' | 'services';
type AdminKey = MessageKey | keyof typeof adminPack.de;

export function AdminPage() {
  const { params } = useRoute();
  const tenant = params['tenant'] ?? '';
  const { me, set } = useMe(tenant);
  const { t } = usePack(adminPack);
  if (me === 'loading') return <Layout title={t('adminTitle')}><Loading /></Layout>;
  if (me === null) return <LoginPage tenant={tenant} onLogin={(u) => set(u)} />;
  return <Admin tenant={tenant} me={me} />;
}

// The field errors of a failed write, by JSON pointer ("/name" -> text), and
// the summary linking to the inputs (id = prefix + pointer without "/").
export function fieldErrors(e: unknown, prefix: string, fallback: string): { byField: Record<string, string>; summary: SummaryItem[] } {
  if (!(e instanceof ApiError)) return { byField: {}, summary: [{ text: fallback }] };
  const byField: Record<string, string> = {};
  const summary: SummaryItem[] = [];
  for (const f of e.problem.errors) {
    const id = prefix + f.pointer.replace(/^\//, '').replace(/\//g, '-');
    byField[f.pointer] = f.detail;
    summary.push({ text: f.detail, href: `#${id}` });
  }
  if (!summary.length) summary.push({ text: e.problem.detail ?? e.problem.title });
  return { byField, summary };
}

function Field({ id, label, error, value, onInput, type = 'text', autoComplete, hint }: {
  id: string; label: string; error?: string | undefined; value: string; onInput: (v: string) => void;
  type?: string; autoComplete?: string; hint?: string;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? <p id={`${id}-hint`} class="hint">{hint}</p> : null}
      {error ? <p id={`${id}-error`} class="error-message">{error}</p> : null}
      <input id={id} type={type} value={value} autoComplete={autoComplete} aria-invalid={error ? 'true' : undefined}
        aria-describedby={described} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </div>
  );
}

function Admin({ tenant, me }: { tenant: string; me: StaffUser }) {
  const { t } = usePack(adminPack);
  const [tab, setTab] = useState<Tab>('departments');
  if (!me.roles.includes('administrator')) {
    return (
      <Layout title={t('adminTitle')}>
        <h1>{t('adminTitle')}</h1>
        <p class="notice">{t('adminOnly')}</p>
      </Layout>
    );
  }
  const tabs: [Tab, AdminKey][] = [['departments', 'adminDepartments'], ['users', 'adminUsers'], ['services', 'adminServices']];
  return (
    <Layout title={t('adminTitle')}>
      <h1>{t('adminTitle')}</h1>
      <div class="tabs" role="group" aria-label={t('adminSections')}>
        {tabs.map(([k, label]) => (
          <button key={k} type="button" class="tab" aria-pressed={tab === k} onClick={() => setTab(k)}>{t(label)}</button>
        ))}
      </div>
      {tab === 'departments' ? <Departments tenant={tenant} /> : tab === 'users' ? <Users tenant={tenant} /> : <Services tenant={tenant} />}
    </Layout>
  );
}

function Departments({ tenant }: { tenant: string }) {
  const { t, lang } = usePack(adminPack);
  const list = useApi<Department[]>(`${base(tenant)}/departments`);
  const [form, setForm] = useState({ id: '', name: '', email: '' });
  const [errors, setErrors] = useState<{ byField: Record<string, string>; summary: SummaryItem[] }>({ byField: {}, summary: [] });
  const [status, setStatus] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    setStatus('');
    try {
      const body = { id: form.id, name: form.name, ...(form.email ? { contact: { email: form.email } } : {}) };
      await api(`${base(tenant)}/departments`, { method: 'POST', body, lang });
      setErrors({ byField: {}, summary: [] });
      setForm({ id: '', name: '', email: '' });
      setStatus(t('adminSaved'));
      list.reload();
    } catch (err) {
      setErrors(fieldErrors(err, 'dep-', t('networkError')));
    }
  };
  return (
    <section aria-labelledby="dep-heading">
      <h2 id="dep-heading">{t('adminDepartments')}</h2>
      {list.loading ? <Loading /> : list.problem ? <LoadError message={list.problem.title} retry={list.reload} /> : (
        <table class="task-table">
          <caption class="visually-hidden">{t('adminDepartments')}</caption>
          <thead><tr><th scope="col">{t('adminId')}</th><th scope="col">{t('adminName')}</th><th scope="col">{t('email')}</th></tr></thead>
          <tbody>{(list.data ?? []).map((d) => <tr key={d.id}><td>{d.id}</td><td>{d.name}</td><td>{d.contact?.email ?? '–'}</td></tr>)}</tbody>
        </table>
      )}
      <h3>{t('adminNewDepartment')}</h3>
      <ErrorSummary items={errors.summary} />
      <p role="status" class="status-line">{status}</p>
      <form class="stacked-form" onSubmit={create} noValidate>
        <Field id="dep-id" label={t('adminId')} hint={t('adminSlugHint')} value={form.id} error={errors.byField['/id']}
          onInput={(v) => setForm({ ...form, id: v })} />
        <Field id="dep-name" label={t('adminName')} value={form.name} error={errors.byField['/name']}
          onInput={(v) => setForm({ ...form, name: v })} />
        <Field id="dep-contact-email" label={t('email')} type="email" value={form.email} error={errors.byField['/contact/email']}
          onInput={(v) => setForm({ ...form, email: v })} />
        <button type="submit" class="button">{t('adminCreate')}</button>
      </form>
    </section>
  );
}

function Users({ tenant }: { tenant: string }) {
  const { t, lang } = usePack(adminPack);
  const list = useApi<{ items: User[] }>(`${base(tenant)}/users`);
  const departments = useApi<Department[]>(`${base(tenant)}/departments`);
  const empty = { login: '', displayName: '', email: '', password: '', roles: ['case_worker'] as string[], departments: [] as string[] };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; summary: SummaryItem[] }>({ byField: {}, summary: [] });
  const [status, setStatus] = useState('');
  const toggle = (xs: string[], x: string) => (xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);
  const create = async (e: Event) => {
    e.preventDefault();
    setStatus('');
    try {
      await api(`${base(tenant)}/users`, { method: 'POST', body: form, lang });
      setErrors({ byField: {}, summary: [] });
      setForm(empty);
      setStatus(t('adminSaved'));
      list.reload();
    } catch (err) {
      setErrors(fieldErrors(err, 'user-', t('networkError')));
    }
  };
  const setActive = async (u: User, active: boolean) => {
    try {
      await api(`${base(tenant)}/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { active }, lang });
      setStatus(active ? t('adminActivated', { name: u.login }) : t('adminDeactivated', { name: u.login }));
      list.reload();
    } catch (err) {
      setErrors(fieldErrors(err, 'user-', t('networkError')));
    }
  };
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">{t('adminUsers')}</h2>
      <p role="status" class="status-line">{status}</p>
      {list.loading ? <Loading /> : list.problem ? <LoadError message={list.problem.title} retry={list.reload} /> : (
        <table class="task-table">
          <caption class="visually-hidden">{t('adminUsers')}</caption>
          <thead><tr><th scope="col">{t('loginName')}</th><th scope="col">{t('adminName')}</th><th scope="col">{t('adminRoles')}</th>
            <th scope="col">{t('adminDepartments')}</th><th scope="col">{t('adminState')}</th></tr></thead>
          <tbody>{(list.data?.items ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.login}</td><td>{u.displayName}</td>
              <td>{u.roles.map((r) => (roleKey[r] ? t(roleKey[r]) : r)).join(', ')}</td>
              <td>{u.departments.join(', ') || '–'}</td>
              <td>
                {u.active ? t('adminActive') : t('adminInactive')}{' '}
                <button type="button" class="link-button" onClick={() => setActive(u, !u.active)}
                  aria-label={(u.active ? t('adminDeactivate') : t('adminActivate')) + ': ' + u.login}>
                  {u.active ? t('adminDeactivate') : t('adminActivate')}
                </button>
              </td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <h3>{t('adminNewUser')}</h3>
      <ErrorSummary items={errors.summary} />
      <form class="stacked-form" onSubmit={create} noValidate>
        <Field id="user-login" label={t('loginName')} autoComplete="off" value={form.login} error={errors.byField['/login']}
          onInput={(v) => setForm({ ...form, login: v })} />
        <Field id="user-displayName" label={t('adminName')} autoComplete="off" value={form.displayName} error={errors.byField['/displayName']}
          onInput={(v) => setForm({ ...form, displayName: v })} />
        <Field id="user-email" label={t('email')} type="email" autoComplete="off" value={form.email} error={errors.byField['/email']}
          onInput={(v) => setForm({ ...form, email: v })} />
        <Field id="user-password" label={t('password')} type="password" autoComplete="new-password" hint={t('adminPasswordHint')}
          value={form.password} error={errors.byField['/password']} onInput={(v) => setForm({ ...form, password: v })} />
        <fieldset id="user-roles" aria-invalid={errors.byField['/roles'] ? 'true' : undefined}>
          <legend>{t('adminRoles')}</legend>
          {errors.byField['/roles'] ? <p class="error-message">{errors.byField['/roles']}</p> : null}
          {staffRoles.map((r) => (
            <label key={r} class="check"><input type="checkbox" checked={form.roles.includes(r)}
              onChange={() => setForm({ ...form, roles: toggle(form.roles, r) })} /> {t(roleKey[r]!)}</label>
          ))}
        </fieldset>
        <fieldset id="user-departments">
          <legend>{t('adminDepartments')}</legend>
          {errors.byField['/departments'] ? <p class="error-message">{errors.byField['/departments']}</p> : null}
          {(departments.data ?? []).map((d) => (
            <label key={d.id} class="check"><input type="checkbox" checked={form.departments.includes(d.id)}
              onChange={() => setForm({ ...form, departments: toggle(form.departments, d.id) })} /> {d.name}</label>
          ))}
        </fieldset>
        <button type="submit" class="button">{t('adminCreate')}</button>
      </form>
    </section>
  );
}

function Services({ tenant }: { tenant: string }) {
  const { t, lang } = usePack(adminPack);
  const list = useApi<Service[]>(`${base(tenant)}/services`);
  const [editing, setEditing] = useState<Service | null>(null);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; summary: SummaryItem[] }>({ byField: {}, summary: [] });
  const [status, setStatus] = useState('');
  const save = async (s: Service) => {
    setStatus('');
    try {
      await api(`${base(tenant)}/services/${encodeURIComponent(s.id)}`, { method: 'PUT', body: serviceDocument(s), lang });
      setErrors({ byField: {}, summary: [] });
      setEditing(null);
      setStatus(t('adminSaved'));
      list.reload();
      return true;
    } catch (err) {
      setErrors(fieldErrors(err, 'svc-', t('networkError')));
      return false;
    }
  };
  const name = (s: Service) => (lang === 'en' && s.name.en ? s.name.en : s.name.de);
  return (
    <section aria-labelledby="svc-heading">
      <h2 id="svc-heading">{t('adminServices')}</h2>
      <p role="status" class="status-line">{status}</p>
      <ErrorSummary items={errors.summary} />
      {list.loading ? <Loading /> : list.problem ? <LoadError message={list.problem.title} retry={list.reload} /> : (
        <table class="task-table">
          <caption class="visually-hidden">{t('adminServices')}</caption>
          <thead><tr><th scope="col">{t('adminName')}</th><th scope="col">LeiKa</th><th scope="col">{t('adminResponsible')}</th>
            <th scope="col">{t('adminProcessingDays')}</th><th scope="col">{t('adminPublished')}</th><th scope="col"><span class="visually-hidden">{t('adminEdit')}</span></th></tr></thead>
          <tbody>{(list.data ?? []).map((s) => (
            <tr key={s.id}>
              <td>{name(s)}</td><td>{s.leika}</td>
              <td>{s.responsibility?.department ?? (s.responsibility?.decision ? t('adminByDecision', { id: s.responsibility.decision }) : '–')}</td>
              <td>{s.processingTimeDays}</td>
              <td><label class="check"><input type="checkbox" checked={s.published} onChange={() => save({ ...s, published: !s.published })} />
                <span class="visually-hidden">{t('adminPublished')}: {name(s)}</span></label></td>
              <td><button type="button" class="link-button" onClick={() => { setErrors({ byField: {}, summary: [] }); setEditing(s); }}
                aria-label={`${t('adminEdit')}: ${name(s)}`}>{t('adminEdit')}</button></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      {editing ? (
        <form class="stacked-form" onSubmit={(e) => { e.preventDefault(); void save(editing); }} noValidate aria-labelledby="svc-edit-heading">
          <h3 id="svc-edit-heading">{t('adminEditService', { name: name(editing) })}</h3>
          <Field id="svc-name-de" label={t('adminNameDe')} value={editing.name.de} error={errors.byField['/name/de']}
            onInput={(v) => setEditing({ ...editing, name: { ...editing.name, de: v } })} />
          <Field id="svc-name-en" label={t('adminNameEn')} value={editing.name.en ?? ''} error={errors.byField['/name/en']}
            onInput={(v) => setEditing({ ...editing, name: { ...editing.name, en: v } })} />
          <Field id="svc-fees" label={t('adminFees')} value={editing.fees ?? ''} error={errors.byField['/fees']}
            onInput={(v) => setEditing({ ...editing, fees: v })} />
          <Field id="svc-processingTimeDays" label={t('adminProcessingDays')} type="number" value={String(editing.processingTimeDays)}
            error={errors.byField['/processingTimeDays']}
            onInput={(v) => setEditing({ ...editing, processingTimeDays: v === '' ? Number.NaN : Number(v) })} />
          <div class="form-actions">
            <button type="submit" class="button">{t('adminSave')}</button>
            <button type="button" class="button button-secondary" onClick={() => setEditing(null)}>{t('adminCancel')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
