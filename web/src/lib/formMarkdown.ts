// Markdown for the form renderer's text fields, with marked only when needed.
//
// form-js renders every text field with marked (15 KB gzip). Its first call
// is slow — building and compiling its grammar's regular expressions: 40 ms
// in node for one sentence, about 200 ms on the page under a 4x slower CPU —
// while most introductions of a citizen's form are plain sentences. So the
// build points form-js's `import { marked } from 'marked'` here
// (scripts/form-js-patches.ts):
//
// - Plain text — no character that could start any markdown (or GFM)
//   construct, no line starting with a digit, no leading or trailing blanks —
//   is written as marked writes it (paragraphs, line breaks as <br> with
//   form-js's `breaks: true`, the same escaping); formMarkdown.test.ts compares
//   the two on many texts.
// - Anything else goes to marked: `prepareMarkdown(schema)` loads it before
//   a form with such a text (or a text computed by FEEL) is imported; a text
//   that needs it later shows escaped until it has arrived and the form
//   renders again (`onMarked`). The form editor registers marked eagerly.
import type { marked as Marked } from 'marked';
import { lazyLibrary } from './lazyLibrary';

type Parse = (markdown: string, options?: { gfm?: boolean; breaks?: boolean }) => string;
const markedLib = lazyLibrary<Parse>(() => import('marked').then((m) => toParse(m.marked)));

function toParse(m: typeof Marked): Parse {
  return (md, options) => m.parse(md, { ...options, async: false }) as string;
}

export function registerMarked(m: typeof Marked) {
  markedLib.register(toParse(m));
}

export function loadMarked(): Promise<void> {
  return markedLib.load();
}

export function onMarked(listener: () => void): () => void {
  return markedLib.on(listener);
}

// Characters that cannot begin any markdown construct anywhere in a line:
// letters, digits, blanks and common punctuation. Everything else (* _ ~ ` #
// > | [ ] < & \ = + - ! @ { } and so on) sends the text to marked, as do
// "www." and "http" (GFM autolinks).
const plainLine = /^[\p{L}\p{M}\d.,;:?()§%€$"'„“”‚‘’–—/ ]*$/u;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// The HTML marked writes for a plain text, or null when the text is not plain.
export function plainMarkdown(markdown: string, breaks: boolean): string | null {
  if (/www\.|https?|ftp/i.test(markdown)) return null;
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line === '') {
      if (current.length) paragraphs.push(current.join(breaks ? '<br>' : '\n'));
      current = [];
      continue;
    }
    if (!plainLine.test(line) || /^\s|\s$|^\d/.test(line)) return null;
    current.push(escapeHtml(line));
  }
  if (current.length) paragraphs.push(current.join(breaks ? '<br>' : '\n'));
  return paragraphs.map((p) => `<p>${p}</p>\n`).join('');
}

export const marked = {
  parse(markdown: string, options: { gfm?: boolean; breaks?: boolean } = {}): string {
    const full = markedLib.value;
    if (full) return full(markdown, options);
    const plain = options.gfm !== false ? plainMarkdown(markdown, options.breaks === true) : null;
    if (plain !== null) return plain;
    void loadMarked();
    return `<p>${escapeHtml(markdown)}</p>\n`;
  },
};

// True when a schema has a text field that is not plain (or computed).
export function needsMarked(schema: unknown): boolean {
  const visit = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(visit);
    if (v === null || typeof v !== 'object') return false;
    const o = v as Record<string, unknown>;
    if (o['type'] === 'text' && typeof o['text'] === 'string') {
      const text = o['text'];
      if (text.startsWith('=') || /{{.*?}}/.test(text) || plainMarkdown(text, true) === null) return true;
    }
    return Object.values(o).some(visit);
  };
  return visit(schema);
}

export function prepareMarkdown(schema: unknown): Promise<void> | null {
  return !markedLib.value && needsMarked(schema) ? loadMarked() : null;
}
