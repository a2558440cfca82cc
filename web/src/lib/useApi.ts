// Loads JSON from the API for a component; reloads when `path` changes and
// ignores answers that arrive after the component moved on.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Problem } from './api';
import { useLang } from './i18n';

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): Loaded<T> {
  const { lang } = useLang();
  const [state, setState] = useState<{ data: T | null; problem: Problem | null; loading: boolean }>(
    { data: null, problem: null, loading: path !== null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, problem: null }));
    api<T>(path, { lang, signal: ctl.signal }).then(
      (data) => { if (!ctl.signal.aborted) setState({ data, problem: null, loading: false }); },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        const problem = e instanceof ApiError ? e.problem : { title: String(e), status: 0, errors: [] };
        setState({ data: null, problem, loading: false });
      });
    return () => ctl.abort();
  }, [path, lang, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}
