import lodashIsEqual from 'lodash/isEqual';
import { describe, expect, it } from 'vitest';
import isEqual from './formEqual';

// Values form-js compares: field values, options, errors, dates.
// A Blob: the File of a form's upload field is one (Node 18 has no global File).
const file = new Blob(['x'], { type: 'application/pdf' });
const values: unknown[] = [
  null, undefined, 0, -0, 1, 1.5, NaN, '', '1', 'a', true, false,
  [], [1], ['1'], [1, 2], [2, 1], [[1]], [null], [undefined], [{ a: 1 }],
  {}, { a: 1 }, { a: '1' }, { a: 1, b: 2 }, { b: 2, a: 1 }, { a: undefined }, { b: undefined }, { a: { b: [1, { c: null }] } },
  new Date(0), new Date(0), new Date(1), new Date(NaN), new Date(NaN),
  file, new Blob(['x'], { type: 'application/pdf' }), Object.create(null), { value: 'wahlwerbung', label: 'Wahlwerbung' },
  { value: 'wahlwerbung', label: 'Wahlwerbung' }, { f_zweck: ['Feld ist erforderlich.'] },
];

describe('deep equality of the form renderer', () => {
  it('answers as lodash does for every pair of form values', () => {
    for (const a of values) {
      for (const b of values) {
        expect(isEqual(a, b), `${String(JSON.stringify(a))} vs ${String(JSON.stringify(b))}`).toBe(lodashIsEqual(a, b));
        const ca = structuredClone(a);
        expect(isEqual(ca, b), `clone of ${String(JSON.stringify(a))} vs ${String(JSON.stringify(b))}`).toBe(lodashIsEqual(ca, b));
      }
    }
  });
});
