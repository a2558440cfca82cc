import { describe, expect, it } from 'vitest';
import { format, pick } from './i18n';
import { messages } from './messages';
import { adminPack } from '../admin/messages';
import { dashPack } from '../dashboard/messages';
import { designerPack } from '../designer/messages';
import { workspacePack } from '../workspace/messages';

describe('format', () => {
  it('fills parameters and keeps unknown ones visible', () => {
    expect(format('de', 'notFoundText', { path: '/x' })).toBe('Die Adresse /x gibt es hier nicht.');
    expect(format('en', 'notFoundText')).toBe('There is no page at {path}.');
  });
});

const packs = { adminPack, dashPack, designerPack, workspacePack };
const sources: [string, { de: object; en: object }][] = [['messages', messages], ...Object.entries(packs)];

describe.each(sources)('%s', (_name, texts) => {
  it('has the same keys and placeholders in German and English', () => {
    const de = texts.de as Record<string, string>;
    const en = texts.en as Record<string, string>;
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
    for (const k of Object.keys(de)) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(en[k] ?? ''), k).toEqual(ph(de[k] ?? ''));
      expect(de[k]?.trim(), k).not.toBe('');
    }
  });
});

describe('packs', () => {
  it('never repeat a key of the main messages (a pack would hide it)', () => {
    for (const pack of Object.values(packs)) {
      for (const k of Object.keys(pack.de)) expect(Object.keys(messages.de), k).not.toContain(k);
    }
  });
});

describe('pick', () => {
  it('takes the language asked for and falls back to German', () => {
    expect(pick('en', { de: 'Plakatierung', en: 'Poster permit' })).toBe('Poster permit');
    expect(pick('en', { de: 'Plakatierung' })).toBe('Plakatierung');
    expect(pick('de', 'plain')).toBe('plain');
    expect(pick('de', null)).toBe('');
  });
});
