// The citizen's view of a case (GET …/tenants/{t}/submissions/{code}/progress):
// stages with their dates, and where the postbox is.
import type { MessageKey } from '../lib/messages';
import type { I18nText } from './portal_api';

export type StepState = 'done' | 'current' | 'upcoming';

export interface Progress {
  trackingCode: string;
  stage: string;  // received | in_progress | waiting | decided | completed | closed
  stages: { stage: string; at: string | null; state: StepState }[];
  postbox: boolean;
  decidedAt?: string;
  submittedAt?: string;
  expectedBy?: string;  // YYYY-MM-DD
  expectedProcessingDays?: number;
  service?: { id?: string; name?: I18nText };
}

export const progressPath = (tenant: string, code: string) =>
  `/api/v1/tenants/${encodeURIComponent(tenant)}/submissions/${encodeURIComponent(code)}/progress`;

const stageKeys: Record<string, MessageKey> = {
  received: 'stageReceived',
  in_progress: 'stageInProgress',
  waiting: 'stageWaiting',
  decided: 'stageDecided',
  completed: 'stageCompleted',
  closed: 'stageClosed',
};

// The message key of a stage; undefined for a stage this version does not know.
export function stageKey(stage: string): MessageKey | undefined {
  return stageKeys[stage];
}

const stateKeys: Record<StepState, MessageKey> = { done: 'stepDone', current: 'stepCurrent', upcoming: 'stepUpcoming' };
export const stepStateKey = (s: StepState): MessageKey => stateKeys[s];

// The postbox link of this browser's receipt (kept in sessionStorage by the
// apply page); null when this browser has no receipt key for the code.
export function postfachHref(tenant: string, code: string, storage: Pick<Storage, 'getItem'> | undefined): string | null {
  let key: unknown;
  try {
    const receipt = JSON.parse(storage?.getItem(`amtsweg.receipt.${code}`) ?? 'null') as { receipt?: { key?: unknown } } | null;
    key = receipt?.receipt?.key;
  } catch {
    return null;
  }
  if (typeof key !== 'string' || key === '') return null;
  return `/${tenant}/postfach/${encodeURIComponent(code)}?key=${encodeURIComponent(key)}`;
}
