import { marked as realMarked } from 'marked';
import { describe, expect, it } from 'vitest';
import { marked, needsMarked, plainMarkdown } from './formMarkdown';

const real = (md: string) => realMarked.parse(md, { gfm: true, breaks: true, async: false }) as string;

// Texts made of the plain characters, with line breaks and paragraphs, must
// come out as marked writes them; the others must be left to marked.
const words = ['Plakate', 'auf', 'öffentlichen', 'Straßen', '(Laternen,', 'Ständer)', 'sind', '§', '21', 'StrWG;', 'Erlaubnis.',
  'Gebühr:', '„Wahl“', 'don\'t', '"quoted"', '10 %', '5 €', 'A/B', 'Fragen?', '–', 'ÄÖÜ', 'élan', '2027', 'Nr.', '3)'];
function text(seed: number): string {
  let x = seed;
  const next = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
  const lines: string[] = [];
  for (let l = 0; l < 1 + next(5); l++) {
    const n = 1 + next(8);
    lines.push(Array.from({ length: n }, () => words[next(words.length)]).join(' '));
    if (next(4) === 0) lines.push('');
    if (next(6) === 0) lines.push('', '');
  }
  return lines.join('\n');
}

describe('markdown of the form renderer', () => {
  it('writes plain texts as marked does', () => {
    let plain = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const md = text(seed);
      const ours = plainMarkdown(md, true);
      if (ours === null) continue;
      plain++;
      expect(ours, JSON.stringify(md)).toBe(real(md));
    }
    expect(plain).toBeGreaterThan(100);
    for (const md of ['', 'Plakate auf öffentlichen Straßen (Laternen, Ständer) sind eine Sondernutzung nach § 21 StrWG.',
      'Zeile eins\nZeile zwei', 'Absatz\n\nZweiter Absatz\n', '\n\nNach Leerzeilen', 'Fragen? Rufen Sie an: 0461 123']) {
      expect(plainMarkdown(md, true), md).toBe(real(md));
    }
  });

  it('leaves everything that could be markdown to marked', () => {
    for (const md of ['**fett**', '*kursiv*', '_kursiv_', '~~weg~~', '`code`', '# Titel', '> Zitat', '- Punkt', '+ Punkt',
      '1. Erstens', '2) Zweitens', 'Titel\n===', 'Titel\n---', '    eingerückt', 'a  \nb', '[Link](https://x.de)',
      'siehe www.musterland.de', 'https://musterland.de', 'post@musterland.de', '<b>html</b>', 'a & b', 'a | b',
      'a\\*b', '!Achtung', 'x\r\ny', '\ttab', 'Ende ']) {
      expect(plainMarkdown(md, true), md).toBeNull();
    }
  });

  it('asks for marked only for schemas whose texts need it', () => {
    expect(needsMarked({ components: [{ type: 'text', text: 'Plakate brauchen eine Erlaubnis.' }, { type: 'textfield', label: '**x**' }] })).toBe(false);
    expect(needsMarked({ components: [{ type: 'group', components: [{ type: 'text', text: 'Bitte **vollständig** ausfüllen.' }] }] })).toBe(true);
    expect(needsMarked({ components: [{ type: 'text', text: 'Hallo {{name}}' }] })).toBe(true);
    expect(needsMarked({ components: [{ type: 'text', text: '=name' }] })).toBe(true);
  });

  it('shows a text that needs marked escaped until marked is here', () => {
    expect(marked.parse('Bitte <b>alles</b>', { gfm: true, breaks: true })).toBe('<p>Bitte &lt;b&gt;alles&lt;/b&gt;</p>\n');
  });
});
