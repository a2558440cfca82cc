// What the staff workspace reads from the workspace, records and postbox APIs
// (src/api/cases_api.cc, records_api.cc, postfach_api.cc), and the pure data
// shaping the case view needs (unit-tested in case_api.test.ts).

export const tenantBase = (t: string) => `/api/v1/tenants/${encodeURIComponent(t)}`;

export interface CaseSummary {
  id: string;
  caseNumber: string;
  trackingCode: string;
  serviceId: string;
  departmentId: string;
  instanceId: string;
  status: string;                 // received | in_progress | waiting | closed
  applicant: { name: string; email: string };
  assignee: string | null;
  submittedAt: string;
  updatedAt: string;
  dueAt: string | null;
  closedAt: string | null;
}

export interface InboxTask {
  id: string;
  name: string;
  elementId: string;
  instanceId: string;
  assignee: string | null;
  candidateGroups: string[];
  formKey: string;
  createdAt: string;
  dueAt: string | null;
  case: CaseSummary | null;
}

export interface CaseDetail extends CaseSummary {
  service: { id: string; name: string | null; processingTimeDays: number | null };
  department: { id: string; name: string | null };
  process: { instanceId: string; processId?: string; version?: number; state: string | null; activeElements: string[] };
  openTasks: Omit<InboxTask, 'case'>[];
  handovers: { id: string; from: string; to: string; reason: string; actor: string; tasksMoved: number; at: string }[];
  noteCount: number;
}

export interface TimelineEntry {
  at: string;
  kind: 'process' | 'audit' | 'note' | string;
  type: string;
  element?: string;
  actor?: string;
  details?: Record<string, unknown>;
}

export interface Note { id: string; author: string; text: string; createdAt: string }

export interface DocumentVersion {
  documentId: string;
  version: number;
  kind: string;
  title: string;
  filename: string;
  contentType: string;
  size: number;
  createdBy: string;
  createdAt: string;
}
export interface CaseDocument extends DocumentVersion { versions: DocumentVersion[] }

export interface PostfachAttachment { idx: number; filename: string; contentType: string; size: number }
export interface PostfachMessage {
  id: string;
  direction: 'toCitizen' | 'toOffice';
  subject: string;
  text: string;
  createdAt: string;
  readByCitizenAt: string | null;
  readByOfficeAt: string | null;
  attachments: PostfachAttachment[];
}

export type Scope = 'all' | 'mine' | 'departments' | 'unassigned';
export interface InboxFilter { scope: Scope; department?: string; service?: string; cursor?: string | null; limit?: number }

// The inbox URL for a scope and its filters; empty filters are left out.
export function inboxUrl(tenant: string, f: InboxFilter): string {
  const q = new URLSearchParams({ scope: f.scope });
  if (f.department) q.set('department', f.department);
  if (f.service) q.set('service', f.service);
  if (f.cursor) q.set('cursor', f.cursor);
  q.set('limit', String(f.limit ?? 50));
  return `${tenantBase(tenant)}/inbox?${q.toString()}`;
}

// Appends the next page, keeping each task once (a task claimed between two
// pages may come again).
export function appendPage(shown: InboxTask[], next: InboxTask[]): InboxTask[] {
  const seen = new Set(shown.map((x) => x.id));
  return [...shown, ...next.filter((x) => !seen.has(x.id))];
}

export type InboxSort = 'created' | 'due' | 'case';

// Sorts the loaded tasks on the client: received (server order), due date
// or case number (missing ones last); ties by task id so the order is stable.
export function sortInbox(tasks: InboxTask[], sort: InboxSort): InboxTask[] {
  const key = (x: InboxTask): string | null => {
    if (sort === 'due') return x.dueAt ?? x.case?.dueAt ?? null;
    if (sort === 'case') return x.case?.caseNumber ?? null;
    return x.createdAt;
  };
  const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  return [...tasks].sort((a, b) => cmp(key(a), key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// Client-side text filter over what a row shows.
export function filterInbox(tasks: InboxTask[], text: string): InboxTask[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return tasks;
  return tasks.filter((x) => {
    const hay = [x.name, x.elementId, x.case?.caseNumber, x.case?.applicant.name, x.case?.serviceId, x.case?.trackingCode]
      .filter(Boolean).join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

// The submitted data / process variables as label-value rows: nested objects
// become dotted paths, lists get their index, values are shown as text.
export function flattenData(value: unknown, prefix = ''): { path: string; value: string }[] {
  if (value === null || value === undefined) return prefix ? [{ path: prefix, value: '–' }] : [];
  if (Array.isArray(value)) {
    if (!value.length) return prefix ? [{ path: prefix, value: '–' }] : [];
    return value.flatMap((v, i) => flattenData(v, `${prefix}[${i + 1}]`));
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return prefix ? [{ path: prefix, value: '–' }] : [];
    return entries.flatMap(([k, v]) => flattenData(v, prefix ? `${prefix}.${k}` : k));
  }
  return [{ path: prefix, value: String(value) }];
}

// The variables of GET …/process-instances/{id}/variables, which answers
// {variables: {...}} (a bare object is taken as it is).
export function variablesOf(body: Record<string, unknown>): Record<string, unknown> {
  const v = body['variables'];
  return Object.keys(body).length === 1 && typeof v === 'object' && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown> : body;
}

// Bytes as a short human size (1 KiB = 1024 bytes), in the page's language.
export function formatSize(bytes: number, lang: string): string {
  const nf = (n: number) => n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024)} KiB`;
  return `${nf(bytes / (1024 * 1024))} MiB`;
}

// Messages oldest first, and how many the reader has not read yet (from the
// reader's side: the citizen reads messages to the citizen, the office
// messages to the office).
export function threadOf(items: PostfachMessage[], reader: 'citizen' | 'office') {
  const sorted = [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const unread = sorted.filter((m) => reader === 'citizen'
    ? m.direction === 'toCitizen' && !m.readByCitizenAt
    : m.direction === 'toOffice' && !m.readByOfficeAt);
  return { messages: sorted, unread: unread.map((m) => m.id) };
}

// How the case view previews a file: PDFs in a frame, images inline, text as
// text; anything else only by download.
export type PreviewKind = 'pdf' | 'image' | 'text' | 'none';
export function previewKind(contentType: string): PreviewKind {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/pdf') return 'pdf';
  // TIFF: browsers do not show it.
  if (type.startsWith('image/') && type !== 'image/tiff') return 'image';
  if (type.startsWith('text/') || type === 'application/xml' || type === 'application/json') return 'text';
  return 'none';
}

// The inline address of a document version (the server sends it with
// Content-Disposition: inline, so a frame shows it instead of saving it).
export function inlineUrl(downloadUrl: string): string {
  return `${downloadUrl}${downloadUrl.includes('?') ? '&' : '?'}disposition=inline`;
}

// What the process would send next (POST …/bescheid-preview/expected): the
// server follows the model from the open task with the form's values.
export interface ExpectedBescheid {
  template: string | null;
  title: string;
  elementId: string;
  elementName: string;
  undetermined: string | null;
  waits: string[];
}
