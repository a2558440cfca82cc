// The one way the web app talks to the server: JSON over fetch, errors as
// RFC 9457 problem details (with the per-field `errors` Amtsweg adds).

export interface FieldProblem {
  pointer: string;  // JSON pointer into the submitted data, e.g. /antrag/anzahl
  code?: string;
  detail: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors: FieldProblem[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

function asProblem(status: number, body: unknown): Problem {
  const p: Problem = { title: `HTTP ${status}`, status, errors: [] };
  if (typeof body !== 'object' || body === null) return p;
  const b = body as Record<string, unknown>;
  if (typeof b['title'] === 'string') p.title = b['title'];
  if (typeof b['detail'] === 'string') p.detail = b['detail'];
  if (typeof b['type'] === 'string') p.type = b['type'];
  const list = Array.isArray(b['errors']) ? b['errors'] : [];
  for (const e of list) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    const pointer = typeof r['pointer'] === 'string' ? r['pointer'] : typeof r['field'] === 'string' ? r['field'] : '';
    const detail = typeof r['detail'] === 'string' ? r['detail'] : typeof r['message'] === 'string' ? r['message'] : '';
    p.errors.push({ pointer, detail, ...(typeof r['code'] === 'string' ? { code: r['code'] } : {}) });
  }
  return p;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;            // JSON-encoded unless FormData
  headers?: Record<string, string>;
  lang?: string;             // Accept-Language for the server's messages
  signal?: AbortSignal;
}

// The CSRF token of the staff session (cookie-authenticated writes must send
// it); kept in memory and sessionStorage, never in a cookie.
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token) sessionStorage.setItem('amtsweg.csrf', token);
    else sessionStorage.removeItem('amtsweg.csrf');
  } catch { /* storage unavailable */ }
}
function currentCsrf(): string | null {
  if (csrfToken) return csrfToken;
  try { csrfToken = sessionStorage.getItem('amtsweg.csrf'); } catch { csrfToken = null; }
  return csrfToken;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  const method = opts.method ?? (opts.body !== undefined ? 'POST' : 'GET');
  const csrf = method !== 'GET' && method !== 'HEAD' ? currentCsrf() : null;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.lang) headers['Accept-Language'] = opts.lang;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      ...(body !== undefined ? { body } : {}), ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch {
    throw new ApiError({ title: 'network', status: 0, errors: [] });
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) throw new ApiError(asProblem(res.status, parsed));
  return parsed as T;
}

export { asProblem as problemFromBody };

