// The analytics API the dashboards read (src/api/analytics_api.cc).
import type { Lang } from '../lib/messages';

export interface Stats {
  count: number; minMs: number; meanMs: number; p50Ms: number; p90Ms: number; maxMs: number; sumMs: number;
}
export interface Kpi {
  received: number; completed: number; terminated: number; open: number;
  openAge: Stats; throughput: Stats; overdue: number; overdueOpen: number;
}
export type Names = { de: string; en: string };
export interface ServiceKpi extends Kpi {
  serviceId: string; name: Names; processId: string | null; processingTimeDays: number | null;
}
export interface DepartmentKpi extends Kpi { departmentId: string; name: string }
export interface SeriesPoint {
  period: string; start: string; received: number; completed: number; throughputP50Ms: number | null; openAtEnd: number;
}
export interface Overview {
  interval: 'week' | 'month';
  now: string;
  totals: Kpi;
  services: ServiceKpi[];
  departments: DepartmentKpi[];
  series: SeriesPoint[];
  filters: { services: { id: string; name: Names; processId: string }[]; departments: { id: string; name: string }[] };
}

export interface ActivityRef { id: string; name: string; kind: string }
export interface ActivityStats extends ActivityRef {
  count: number; completed: number; terminated: number; open: number;
  duration: Stats; waiting: Stats | null; working: Stats | null;
  waitingShare: number; durationShare: number; withDue: number; breached: number;
}
export interface ActivitiesReport { processId: string; activities: ActivityStats[] }
export interface OpenElement extends ActivityRef { open: number; age: Stats; oldestCaseId: string }
export interface OpenReport { processId: string; openCases: number; caseAge: Stats; elements: OpenElement[] }

export const tenantBase = (tenant: string) => `/api/v1/tenants/${encodeURIComponent(tenant)}`;

export function nameIn(lang: Lang, n: Names): string {
  return (lang === 'en' ? n.en : n.de) || n.de || n.en;
}
