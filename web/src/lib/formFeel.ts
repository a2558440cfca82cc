// FEEL for the form renderer, loaded only when a form needs it.
//
// form-js evaluates FEEL (conditions such as `=zweck != "wahlwerbung"`,
// expressions, `{{ }}` templates) with feelin, which brings lezer's FEEL
// parser, luxon and feelers: about 60 KB gzip and the biggest part of the
// form renderer's start-up work on a phone. Most citizens' forms use at most
// a few simple conditions. So the build points form-js's imports of
// `@bpmn-io/feelin` and `feelers` here (scripts/form-js-patches.ts):
//
// - Expressions of a small subset — names and paths, string / number /
//   boolean / null literals, `=`, `!=`, `and`, `or`, `not(…)`, parentheses —
//   are evaluated here, with feelin's semantics (null handling, three-valued
//   logic, list paths, deep equality; formFeel.test.ts compares the two).
// - For anything else the full FEEL is loaded: `prepareFeel(schema)` looks at
//   every expression and template of a schema before the form is imported and
//   loads feelin and feelers when one is outside the subset. A value of a kind
//   the subset does not know at run time (not JSON) loads it too, and the
//   form re-renders when it has arrived (`onFullFeel`).
// - The form editor (designer) registers the full FEEL eagerly (formFull.ts).
import type * as Feelin from '@bpmn-io/feelin';
import type * as Feelers from 'feelers';
import { lazyLibrary } from './lazyLibrary';

interface Full { feelin: typeof Feelin; feelers: typeof Feelers }
const fullFeel = lazyLibrary<Full>(() => Promise.all([import('@bpmn-io/feelin'), import('feelers')])
  .then(([feelin, feelers]) => ({ feelin, feelers })));

export function registerFullFeel(feelin: typeof Feelin, feelers: typeof Feelers) {
  fullFeel.register({ feelin, feelers });
}

export function fullFeelLoaded(): boolean {
  return fullFeel.value !== null;
}

export function loadFullFeel(): Promise<void> {
  return fullFeel.load();
}

// Called once the full FEEL has arrived after a form was rendered without it.
export function onFullFeel(listener: () => void): () => void {
  return fullFeel.on(listener);
}

// ---------------------------------------------------------------- the subset

type Node =
  | { k: 'lit'; v: null | boolean | number | string }
  | { k: 'path'; names: string[] }
  | { k: 'eq' | 'ne' | 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node };

// FEEL's built-in function names: a variable of that name that is not in the
// context resolves to the function in feelin, so the subset leaves such names alone.
const builtins = new Set(('abs after all any append before ceiling coincides concatenate contains context count ' +
  'date decimal duration during even exp finishes flatten floor includes is log matches max mean median meets min ' +
  'mode modulo not now number odd overlaps product remove replace reverse sort split sqrt starts stddev string ' +
  'sublist substring sum time today union').split(' '));

const keywords = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'if', 'then', 'else', 'for', 'in',
  'return', 'some', 'every', 'satisfies', 'between', 'instance', 'of', 'function', 'external']);

const tokenRe = /\s*(?:("(?:[^"\\\n\r])*")|(\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][A-Za-z0-9_]*)|(!=|[=().]))/y;

// Parses `source` as an expression of the subset; null when it is outside it.
export function parseSubset(source: string): Node | null {
  const toks: { t: 's' | 'n' | 'id' | 'op'; v: string }[] = [];
  tokenRe.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    tokenRe.lastIndex = at;
    const m = tokenRe.exec(source);
    if (!m) return null;
    at = tokenRe.lastIndex;
    if (m[1] !== undefined) toks.push({ t: 's', v: m[1].slice(1, -1) });
    else if (m[2] !== undefined) toks.push({ t: 'n', v: m[2] });
    else if (m[3] !== undefined) toks.push({ t: 'id', v: m[3] });
    else toks.push({ t: 'op', v: m[4] as string });
  }
  let i = 0;
  const peek = (v: string) => toks[i]?.v === v && toks[i]?.t !== 's';
  const fail = () => { throw new Error('outside the subset'); };
  const expect = (v: string) => (peek(v) ? i++ : fail());
  const disj = (): Node => {
    let a = conj();
    while (peek('or') && toks[i]?.t === 'id') { i++; a = { k: 'or', a, b: conj() }; }
    return a;
  };
  const conj = (): Node => {
    let a = cmp();
    while (peek('and') && toks[i]?.t === 'id') { i++; a = { k: 'and', a, b: cmp() }; }
    return a;
  };
  const cmp = (): Node => {
    const a = primary();
    if (peek('=') || peek('!=')) {
      const k = toks[i++]?.v === '=' ? 'eq' : 'ne';
      return { k, a, b: primary() };
    }
    return a;
  };
  const primary = (): Node => {
    const tok = toks[i++];
    if (!tok) return fail();
    if (tok.t === 's') return { k: 'lit', v: tok.v };
    if (tok.t === 'n') return { k: 'lit', v: tok.v.includes('.') ? parseFloat(tok.v) : parseInt(tok.v, 10) };
    if (tok.t === 'op') {
      if (tok.v !== '(') return fail();
      const inner = disj();
      expect(')');
      return inner;
    }
    if (tok.v === 'true' || tok.v === 'false') return { k: 'lit', v: tok.v === 'true' };
    if (tok.v === 'null') return { k: 'lit', v: null };
    if (tok.v === 'not') {
      expect('(');
      const a = disj();
      expect(')');
      return { k: 'not', a };
    }
    if (keywords.has(tok.v) || builtins.has(tok.v)) return fail();
    const names = [tok.v];
    while (peek('.')) {
      i++;
      const n = toks[i++];
      if (!n || n.t !== 'id' || keywords.has(n.v)) return fail();
      names.push(n.v);
    }
    // A name followed by "(" is a function call; "[" would be a filter (not tokenized at all).
    if (peek('(')) return fail();
    return { k: 'path', names };
  };
  try {
    const node = disj();
    return i === toks.length ? node : null;
  } catch {
    return null;
  }
}

class Unsupported extends Error {}

function isContext(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

type Kind = 'nil' | 'boolean' | 'number' | 'string' | 'context' | 'list';
function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (isContext(v)) return 'context';
  if (Array.isArray(v)) return 'list';
  throw new Unsupported(`a value of kind ${Object.prototype.toString.call(v)}`);
}

const normalizeKey = (name: string) =>
  name.replace(/\s*([./\-'+]|\*\*?)\s*/g, ' $1 ').replace(/\s{2,}/g, ' ').trim();

// feelin's getFromContext for a plain name (normalized keys included).
function lookup(name: string, context: unknown): unknown {
  if (context === null || typeof context !== 'object') return undefined;
  const ctx = context as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(ctx, name)) return ctx[name];
  const entry = Object.entries(ctx).find(([key]) => normalizeKey(key) === name);
  return entry ? entry[1] : undefined;
}

// feelin's equals for JSON values: null, or true/false, or null for values of different kinds.
function equals(a: unknown, b: unknown): boolean | null {
  if ((a === null) !== (b === null)) return false;
  if (Array.isArray(a) && a.length < 2) a = a[0];
  if (Array.isArray(b) && b.length < 2) b = b[0];
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return null;
  if (ka === 'nil') return true;
  if (ka === 'list') {
    const la = a as unknown[];
    const lb = b as unknown[];
    return la.length === lb.length && la.every((x, n) => equals(x, lb[n]));
  }
  if (ka === 'context') {
    const ea = Object.entries(a as Record<string, unknown>);
    const ob = b as Record<string, unknown>;
    if (ea.length !== Object.keys(ob).length) return false;
    return ea.every(([key, value]) => Object.prototype.hasOwnProperty.call(ob, key) && equals(value, ob[key]));
  }
  return a === b;
}

const bool = (v: unknown) => (typeof v === 'boolean' ? v : null);

function evalNode(node: Node, context: Record<string, unknown>): unknown {
  switch (node.k) {
    case 'lit': return node.v;
    case 'path': {
      const [first, ...rest] = node.names as [string, ...string[]];
      let value: unknown = lookup(first, context);
      if (value === undefined) value = null;
      kindOf(value);
      for (const name of rest) {
        const prop = (target: unknown) => {
          const v = lookup(name, target);
          return v === undefined ? null : v;
        };
        value = Array.isArray(value) ? value.map(prop) : prop(value);
        kindOf(value);
      }
      return value;
    }
    case 'eq': return equals(evalNode(node.a, context), evalNode(node.b, context));
    case 'ne': return !equals(evalNode(node.a, context), evalNode(node.b, context));
    case 'and': {
      const a = bool(evalNode(node.a, context));
      const b = bool(evalNode(node.b, context));
      return a === false || b === false ? false : a === true && b === true ? true : null;
    }
    case 'or': {
      const a = bool(evalNode(node.a, context));
      const b = bool(evalNode(node.b, context));
      return a === true || b === true ? true : a === false && b === false ? false : null;
    }
    case 'not': {
      const a = evalNode(node.a, context);
      return typeof a === 'boolean' ? !a : null;
    }
  }
}

const parsed = new Map<string, Node | null>();
function subset(expression: string): Node | null {
  let node = parsed.get(expression);
  if (node === undefined) {
    node = parseSubset(expression);
    parsed.set(expression, node);
  }
  return node;
}

// Evaluates with the subset; throws (and starts loading the full FEEL) when
// the expression or a value is outside it.
function evaluateSubset(expression: string, context: Record<string, unknown>): unknown {
  const node = subset(expression);
  try {
    if (!node) throw new Unsupported(`the expression "${expression}"`);
    return evalNode(node, context);
  } catch (e) {
    if (e instanceof Unsupported) {
      void loadFullFeel();
      throw new Error(`FEEL is still loading (${e.message} needs it)`);
    }
    throw e;
  }
}

// ------------------------------------------- feelin's and feelers' API for form-js

export function evaluate(expression: string, context: Record<string, unknown> = {}) {
  const full = fullFeel.value;
  if (full) return full.feelin.evaluate(expression, context);
  return { value: evaluateSubset(expression, context), warnings: [] };
}

// feelin's unaryTest: the value (a list's items each) is a boolean, taken as
// it is, or compared with the input value `?` (null when absent); a literal
// true/false is compared with `?` when there is one; `not(…)` around the
// whole test negates the test (not the value).
export function unaryTest(expression: string, context: Record<string, unknown> = {}) {
  const full = fullFeel.value;
  if (full) return full.feelin.unaryTest(expression, context);
  evaluateSubset(expression, context);  // refuses what the subset cannot do
  const node = subset(expression) as Node;
  const input = context['?'] !== undefined ? context['?'] : null;
  const matches = (test: Node): boolean => {
    if (test.k === 'lit' && typeof test.v === 'boolean' && Object.prototype.hasOwnProperty.call(context, '?')) {
      return test.v === context['?'];
    }
    const value = evalNode(test, context);
    const tests = Array.isArray(value) ? value : [value];
    return tests.some((t) => (Array.isArray(t) ? t.includes(input) : typeof t === 'boolean' ? t : equals(t, input) === true));
  };
  return { value: node.k === 'not' ? !matches(node.a) : matches(node), warnings: [] };
}

function needFull(what: string): Full {
  const full = fullFeel.value;
  if (!full) {
    void loadFullFeel();
    throw new Error(`FEEL is still loading (${what} needs it)`);
  }
  return full;
}

export const parseExpression: typeof Feelin.parseExpression = (...args) => needFull('parsing').feelin.parseExpression(...args);
export const parseUnaryTests: typeof Feelin.parseUnaryTests = (...args) => needFull('parsing').feelin.parseUnaryTests(...args);
export const evaluateTemplate: typeof Feelers.evaluate = (...args) => needFull('a template').feelers.evaluate(...args);
export const parseToSimpleTree: typeof Feelers.parseToSimpleTree = (...args) => needFull('a template').feelers.parseToSimpleTree(...args);

// ------------------------------------------------------------ before import

// True when a schema has an expression outside the subset or a template.
export function needsFullFeel(schema: unknown): boolean {
  const visit = (v: unknown): boolean => {
    if (typeof v === 'string') {
      if (v.startsWith('=')) return subset(v.slice(1)) === null;
      return /{{.*?}}/.test(v);
    }
    if (Array.isArray(v)) return v.some(visit);
    if (v !== null && typeof v === 'object') return Object.values(v).some(visit);
    return false;
  };
  return visit(schema);
}

// Resolves when the form can be imported: at once, or once the full FEEL is here.
export function prepareFeel(schema: unknown): Promise<void> | null {
  return !fullFeel.value && needsFullFeel(schema) ? loadFullFeel() : null;
}
