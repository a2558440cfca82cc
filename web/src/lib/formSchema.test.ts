import { describe, expect, it } from 'vitest';
import { domId, localizeSchema, mapServerErrors, pointerOf } from './formSchema';

describe('localizeSchema', () => {
  const schema = {
    type: 'default',
    components: [
      { type: 'textfield', key: 'name', label: 'Name', properties: { 'label@en': 'Name (en)', 'description@en': 'As in your ID' }, description: 'Wie im Ausweis' },
      { type: 'select', key: 'zweck', label: 'Zweck', values: [{ label: 'Wahlwerbung', 'label@en': 'Election advertising', value: 'wahl' }, { label: 'Sonstiges', value: 'x' }] },
      { type: 'group', label: 'Ort', properties: { 'label@en': 'Place' }, components: [{ type: 'text', text: 'Hinweis', properties: { 'text@en': 'Note' } }] },
    ],
  };
  it('keeps German untouched', () => {
    expect(localizeSchema(schema, 'de')).toBe(schema);
  });
  it('puts the English texts in place, falling back to German', () => {
    const en = localizeSchema(schema, 'en') as typeof schema;
    const [name, zweck, group] = en.components as any[];
    expect(name.label).toBe('Name (en)');
    expect(name.description).toBe('As in your ID');
    expect(zweck.label).toBe('Zweck');
    expect(zweck.values[0].label).toBe('Election advertising');
    expect(zweck.values[1].label).toBe('Sonstiges');
    expect(group.label).toBe('Place');
    expect(group.components[0].text).toBe('Note');
    expect((schema.components[0] as any).label).toBe('Name');  // the original is not modified
  });
});

describe('mapServerErrors', () => {
  const instances = [
    { id: 'f_name', valuePath: ['antragsteller', 'name'], label: 'Name' },
    { id: 'f_street', valuePath: ['orte', 1, 'strasse'], indexes: { orte: 1 }, label: 'Straße' },
    { id: 'f_tags', valuePath: ['tags'], label: 'Schlagworte' },
  ];
  it('puts errors on the field with that pointer, list items by index', () => {
    const m = mapServerErrors(instances, [
      { pointer: '/antragsteller/name', detail: 'Pflichtfeld' },
      { pointer: '/orte/1/strasse', detail: 'Zu lang' },
    ], 'abc');
    expect(m.errors).toEqual({ f_name: ['Pflichtfeld'], f_street: { 1: ['Zu lang'] } });
    expect(m.summary).toEqual([
      { text: 'Name: Pflichtfeld', href: '#fjs-form-abc-f_name' },
      { text: 'Straße: Zu lang', href: '#fjs-form-abc-f_street_1' },
    ]);
  });
  it('takes the deepest field above a sub-value and keeps unknown pointers unlinked', () => {
    const m = mapServerErrors(instances, [
      { pointer: '/tags/2', detail: 'Doppelt' },
      { pointer: '/unbekannt', detail: 'Unbekanntes Feld' },
    ], null);
    expect(m.errors).toEqual({ f_tags: ['Doppelt'] });
    expect(m.summary[1]).toEqual({ text: 'Unbekanntes Feld' });
  });
  it('escapes pointer tokens and builds form-js DOM ids', () => {
    expect(pointerOf(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
    expect(domId(null, { id: 'x', valuePath: [], indexes: { l: 2, m: 0 } })).toBe('fjs-form-x_2_0');
  });
});
