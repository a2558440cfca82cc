// A library the form renderer loads only when a form needs it (formFeel,
// formMarkdown, formPurify): registered at once by the form editor, or
// imported on first need; listeners learn when it has arrived, so a form
// rendered without it can render again.
export interface LazyLibrary<T> {
  readonly value: T | null;
  register(value: T): void;
  load(): Promise<void>;
  on(listener: () => void): () => void;
}

export function lazyLibrary<T>(importer: () => Promise<T>): LazyLibrary<T> {
  let value: T | null = null;
  let loading: Promise<void> | null = null;
  const listeners = new Set<() => void>();
  const lib: LazyLibrary<T> = {
    get value() { return value; },
    register(v: T) {
      value = v;
      loading = Promise.resolve();
      for (const l of [...listeners]) l();
    },
    load() {
      loading ??= importer().then((v) => lib.register(v));
      return loading;
    },
    on(listener: () => void) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
  return lib;
}
