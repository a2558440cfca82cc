// Deep equality for the form renderer instead of lodash's isEqual (14.9 KB,
// 5 KB gzip, in the form page's download for this one function). form-js
// compares field values, options, errors and dates with it; formEqual.test.ts
// compares this with lodash on such values. The build points form-js's
// `import isEqual from 'lodash/isEqual'` here (scripts/form-js-patches.ts).
//
// As lodash: primitives by SameValueZero (NaN equals NaN), Dates by time,
// arrays item by item, plain objects (any prototype-less or Object-made
// object) key by key; other objects (File, Map, …) only when identical —
// lodash compares Maps, Sets, typed arrays, RegExps and boxed primitives
// deeply, which form values never are.
const plain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

export default function isEqual(a: unknown, b: unknown): boolean {
  if (a === b || (a !== a && b !== b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    if (!(a instanceof Date && b instanceof Date)) return false;
    const x = a.getTime();
    const y = b.getTime();
    return x === y || (x !== x && y !== y);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => isEqual(x, b[i]));
  }
  if (!plain(a) || !plain(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ob = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(ob, k) && isEqual((a as Record<string, unknown>)[k], ob[k]));
}
