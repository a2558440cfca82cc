// Designer calls to the engine API of one tenant.
import { api } from '../lib/api';
import { serviceDocument } from '../lib/serviceDoc';

export interface Definition {
  key: string;
  kind: 'process' | 'decision' | 'form' | string;
  id: string;
  version: number;
  resourceName?: string;
  deploymentKey?: string;
  createdAt?: string;
}

export interface DeploymentResult {
  deploymentKey?: string;
  deploymentId?: string;
  definitions?: Definition[];
}

export interface LintFinding {
  elementId: string;
  rule: string;
  severity: 'error' | 'warning' | string;
  message: string;
}

const base = (tenant: string) => `/api/v1/tenants/${encodeURIComponent(tenant)}`;

export async function listDefinitions(tenant: string): Promise<Definition[]> {
  const out: Definition[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `?limit=200&cursor=${encodeURIComponent(cursor)}` : '?limit=200';
    const page: { items: Definition[]; nextCursor?: string | null } =
      await api(`${base(tenant)}/definitions${q}`);
    out.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  return out;
}

// The latest version of each id and kind, sorted by id.
export function latest(defs: Definition[]): Definition[] {
  const by = new Map<string, Definition>();
  for (const d of defs) {
    const k = `${d.kind}:${d.id}`;
    const cur = by.get(k);
    if (!cur || d.version > cur.version) by.set(k, d);
  }
  return [...by.values()].sort((a, b) => a.id.localeCompare(b.id) || a.kind.localeCompare(b.kind));
}

// Every deployed version of the definition `key` names (same kind and id),
// newest first; empty when the key is not among `defs`.
export function versionsOf(defs: Definition[], key: string): Definition[] {
  const me = defs.find((d) => d.key === key);
  if (!me) return [];
  return defs.filter((d) => d.kind === me.kind && d.id === me.id).sort((a, b) => b.version - a.version);
}

export async function definitionXml(tenant: string, key: string): Promise<string> {
  const res = await fetch(`${base(tenant)}/definitions/${encodeURIComponent(key)}/resource`,
    { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

export function deploy(tenant: string, files: { name: string; content: string }[], lang: string): Promise<DeploymentResult> {
  const form = new FormData();
  for (const f of files) form.append('resources', new Blob([f.content], { type: 'application/octet-stream' }), f.name);
  return api<DeploymentResult>(`${base(tenant)}/deployments`, { method: 'POST', body: form, lang });
}

export function lint(name: string, content: string, lang: string): Promise<{ findings: LintFinding[] }> {
  return api(`/api/v1/models/lint`, { method: 'POST', body: { name, content }, lang });
}

// --- Forms of the service catalogue (what services and tasks use) ---------

export interface CatalogueForm { id: string; latestVersion: number; updatedAt?: string }
export interface FormVersionInfo { version: number; createdAt: string }
export interface CatalogueService {
  id: string;
  name: { de: string; en?: string };
  form?: { id: string; version: number };
  [k: string]: unknown;
}

const formBase = (tenant: string, id: string) => `${base(tenant)}/forms/${encodeURIComponent(id)}`;

export const listForms = (tenant: string) => api<CatalogueForm[]>(`${base(tenant)}/forms`);
export const formVersions = (tenant: string, id: string) => api<FormVersionInfo[]>(`${formBase(tenant, id)}/versions`);
export const formSchema = (tenant: string, id: string, version: number) =>
  api<Record<string, unknown>>(`${formBase(tenant, id)}/versions/${version}`);
// Stores the schema as the next version of its form (an unchanged schema keeps its version).
export const saveForm = (tenant: string, schema: Record<string, unknown>, lang: string) =>
  api<{ id: string; version: number }>(`${base(tenant)}/forms`, { method: 'POST', body: schema, lang });
export const listServices = (tenant: string) => api<CatalogueService[]>(`${base(tenant)}/services`);

// The services whose application form is `formId`.
export function servicesOfForm(services: CatalogueService[], formId: string): CatalogueService[] {
  return services.filter((s) => s.form?.id === formId);
}

// The service's document with its application form pinned to `version`, as a
// replacement (PUT) sends it: without the fields the server keeps itself.
export function withFormVersion(s: CatalogueService, version: number): Record<string, unknown> {
  return { ...serviceDocument(s), form: { ...(s.form ?? { id: '' }), version } };
}

export const putService = (tenant: string, s: CatalogueService, version: number, lang: string) =>
  api<CatalogueService>(`${base(tenant)}/services/${encodeURIComponent(s.id)}`,
    { method: 'PUT', body: withFormVersion(s, version), lang });
