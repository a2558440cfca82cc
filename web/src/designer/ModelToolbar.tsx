// The actions every model editor offers: check, deploy, download — and the
// outcome of the last one, announced to screen readers.
import { ApiError } from '../lib/api';
import { usePack } from '../lib/i18n';
import { designerPack } from './messages';
import type { LintFinding } from './model_api';

export type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'ok'; text: string }
  | { kind: 'findings'; text: string; findings: LintFinding[] }
  | { kind: 'error'; text: string; details?: string[] };

export function ModelToolbar({ onLint, onDeploy, onDownload, outcome, onSelect, deployLabel }: {
  onLint?: () => void; onDeploy: () => void; onDownload: () => void; outcome: Outcome;
  onSelect?: (elementId: string) => void; deployLabel?: string;
}) {
  const { t } = usePack(designerPack);
  const busy = outcome.kind === 'busy';
  return (
    <div class="model-toolbar">
      <div class="toolbar-buttons">
        {onLint ? <button type="button" class="button button-secondary" disabled={busy} onClick={onLint}>{t('designerLint')}</button> : null}
        <button type="button" class="button" disabled={busy} onClick={onDeploy}>{deployLabel ?? t('designerDeploy')}</button>
        <button type="button" class="button button-secondary" onClick={onDownload}>{t('designerDownload')}</button>
      </div>
      <div role="status" aria-live="polite" class={`outcome outcome-${outcome.kind}`}>
        {outcome.kind === 'idle' ? null : <p>{outcome.text}</p>}
        {busy ? <progress class="model-progress" aria-label={outcome.text} /> : null}
        {outcome.kind === 'findings' && outcome.findings.length ? (
          <ul class="findings">
            {outcome.findings.map((f, i) => (
              <li key={i} class={`finding finding-${f.severity}`}>
                {onSelect && f.elementId
                  ? <button type="button" class="link-button" onClick={() => onSelect(f.elementId)}>{f.elementId}</button>
                  : <code>{f.elementId}</code>}
                {': '}{f.message} <span class="muted">({f.rule})</span>
              </li>
            ))}
          </ul>
        ) : null}
        {outcome.kind === 'error' && outcome.details?.length ? (
          <ul class="findings">{outcome.details.map((d, i) => <li key={i}>{d}</li>)}</ul>
        ) : null}
      </div>
    </div>
  );
}

export function download(name: string, content: string, type = 'application/xml'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function errorOutcome(e: unknown, fallback: string): Outcome {
  if (e instanceof ApiError) {
    const details = e.problem.errors.map((x) => (x.pointer ? `${x.pointer}: ${x.detail}` : x.detail));
    return { kind: 'error', text: e.problem.detail ?? e.problem.title ?? fallback, details };
  }
  return { kind: 'error', text: fallback };
}
