// What the portal reads and sends: municipalities, their services, forms,
// submissions and their status.
import { api, ApiError, problemFromBody } from '../lib/api';

export type I18nText = { de?: string; en?: string };

export interface Tenant {
  id: string;
  name: string;
  type?: string;
  address?: { street?: string; postalCode?: string; city?: string };
  contact?: { email?: string; phone?: string; web?: string };
  portal?: { primaryColor?: string; secondaryColor?: string; logoUrl?: string };
}

export interface Service {
  id: string;
  leika?: string;
  published?: boolean;
  name: I18nText;
  description?: I18nText;
  legalBasis?: string;
  fees?: string;
  requiredDocuments?: string[];
  processingTimeDays?: number;
  form?: { id: string; version: number };
  formSchema?: Record<string, unknown>;  // in the public service document
  tenant?: string | Tenant;
  tenantId?: string;
}

export interface SubmissionReceipt {
  trackingCode: string;
  caseNumber: string;
  submittedAt?: string;
  receipt?: { url?: string; secret?: string; key?: string };
}

export interface SubmissionStatus {
  trackingCode: string;
  stage: string;                 // received | in_progress | completed | closed
  submittedAt?: string;
  expectedBy?: string;           // YYYY-MM-DD
  expectedProcessingDays?: number;
  service?: { id?: string; name?: I18nText };
}

// Lists come as an array or as {items: [...]}.
export function items<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (typeof body === 'object' && body !== null && Array.isArray((body as { items?: unknown }).items)) {
    return (body as { items: T[] }).items;
  }
  return [];
}

export const tenantPath = (t: string) => `/api/v1/tenants/${encodeURIComponent(t)}`;
export const servicePath = (id: string) => `/api/v1/services/${encodeURIComponent(id)}`;

export function submit(serviceId: string, data: Record<string, unknown>, files: Map<string, File[]>,
  idempotencyKey: string, lang: string, onProgress?: (fraction: number) => void): Promise<SubmissionReceipt> {
  // Without files: plain JSON. With files: multipart, the data as the part
  // "data" and each file as a part named by its filepicker reference, sent
  // with XMLHttpRequest for upload progress.
  if (files.size === 0) {
    return api<SubmissionReceipt>(`${servicePath(serviceId)}/submissions`,
      { method: 'POST', body: data, lang, headers: { 'Idempotency-Key': idempotencyKey } });
  }
  const form = new FormData();
  // A string, not a Blob: FormData sends a Blob as a file part (filename
  // "blob"), which the server refuses as a file nobody refers to.
  form.append('data', JSON.stringify(data));
  for (const [ref, list] of files) for (const f of list) form.append(ref, f, f.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${servicePath(serviceId)}/submissions`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', lang);
    xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as SubmissionReceipt);
      else reject(new ApiError(problemFromBody(xhr.status, body)));
    };
    xhr.onerror = () => reject(new ApiError({ title: 'network', status: 0, errors: [] }));
    xhr.send(form);
  });
}
