import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as feelin from '@bpmn-io/feelin';
import { describe, expect, it } from 'vitest';
import { evaluate, fullFeelLoaded, needsFullFeel, parseSubset, unaryTest } from './formFeel';

// The subset must give feelin's answers: every expression below, against
// every context, through evaluate and unaryTest (as form-js's conditions
// use it), compared with the real feelin.
const expressions = [
  'zweck != "wahlwerbung"',
  'zweck = "wahlwerbung"',
  'genehmigt != false',
  'genehmigt = true',
  'verkehr.beschraenkung = null or verkehr.beschraenkung = "keine"',
  'a = 1 and b = "x"',
  'a = 1 or b = "x"',
  'not(a = 1)',
  'not(a)',
  'not(b)',
  '(a = 1 or b = "x") and c != null',
  'a',
  'b',
  'c',
  'list.x = 1',
  'list.x = [1]'.replace('[1]', 'list2'),
  'list = list2',
  'ctx = ctx2',
  'ctx.deep.er = "y"',
  'missing',
  'missing = null',
  'missing != null',
  'missing.inner = null',
  'a.inner',
  'b.inner = null',
  'a = "1"',
  'a != "1"',
  'true',
  'false',
  'null',
  '1.5 = f',
  '"" = b',
  'ordered = true',
  'android != null',
  'notes = null',
];

const contexts: Record<string, unknown>[] = [
  {},
  { zweck: 'wahlwerbung', genehmigt: false, a: 1, b: 'x', c: null, f: 1.5, ordered: true, android: 'x', notes: 'n' },
  { zweck: 'gewerblich', genehmigt: true, a: 2, b: '', c: 'set', verkehr: { beschraenkung: 'keine' } },
  { verkehr: { beschraenkung: null }, a: true, b: false, list: [{ x: 1 }, { x: 2 }], list2: [1, 2], ctx: { p: 1 }, ctx2: { p: 1 } },
  { verkehr: {}, a: [1], b: [], list: [{ x: 1 }], list2: [1], ctx: { p: 1, q: 2 }, ctx2: { p: 1 }, deep: 1 },
  { ctx: { deep: { er: 'y' } }, a: 'str', b: { inner: 1 }, zweck: undefined, c: [null], 'genehmigt ': true },
  { verkehr: [{ beschraenkung: 'keine' }], a: 0, b: 'x', '?': 'x' },
  { a: 1, '?': true },
];

describe('the FEEL subset of the form renderer', () => {
  it('has not loaded the full FEEL by itself', () => {
    expect(fullFeelLoaded()).toBe(false);
  });

  for (const expression of expressions) {
    it(`parses and evaluates ${expression} as feelin does`, () => {
      expect(parseSubset(expression), expression).not.toBeNull();
      for (const context of contexts) {
        const what = `${expression} with ${JSON.stringify(context)}`;
        expect(evaluate(expression, context).value, what).toEqual(feelin.evaluate(expression, context).value);
        expect(unaryTest(expression, context).value, `unary test ${what}`).toEqual(feelin.unaryTest(expression, context).value);
      }
    });
  }

  it('leaves everything else to the full FEEL', () => {
    for (const outside of ['a + 1', 'a > 1', 'a < b', 'count(list) = 1', 'if a then b else c', 'a in [1, 2]',
      'a between 1 and 2', 'list[1]', 'list[x = 1]', '"a\\"b" = a', '-1 = a', 'date("2024-01-01")', 'a = b = c',
      '{ x: 1 }.x', 'some x in list satisfies x = 1', 'today', 'string = "x"', 'a.b c', 'a =', '', '= 1', 'a and',
      'upper case(a)', '.5 = a', '1. = a', 'a..b', '@"2024-01-01"', 'a = "unterminated']) {
      expect(parseSubset(outside), outside).toBeNull();
    }
  });

  it('treats every single-word built-in function of feelin as outside the subset', () => {
    // feelin resolves a name that is not in the context to its built-in function.
    const source = readFileSync(createRequire(import.meta.url).resolve('@bpmn-io/feelin'), 'utf8');
    const table = source.slice(source.indexOf('const builtins = {'), source.indexOf('\n};', source.indexOf('const builtins = {')));
    const names = [...table.matchAll(/^ {4}'?([a-z]+)'?:/gm)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) {
      expect(parseSubset(`${name} = null`), name).toBeNull();
      expect(typeof feelin.evaluate(name, {}).value, name).not.toBe('undefined');
    }
  });

  it('loads the full FEEL only for schemas that need it', () => {
    const plakatierung = { components: [{ type: 'datetime', key: 'wahltag', conditional: { hide: '=zweck != "wahlwerbung"' } }] };
    expect(needsFullFeel(plakatierung)).toBe(false);
    expect(needsFullFeel({ components: [{ type: 'text', text: 'Plain **markdown**' }] })).toBe(false);
    expect(needsFullFeel({ components: [{ type: 'text', text: 'Hello {{name}}' }] })).toBe(true);
    expect(needsFullFeel({ components: [{ type: 'number', validate: { min: '=today() - 1' } }] })).toBe(true);
    expect(needsFullFeel({ components: [{ type: 'group', components: [{ conditional: { hide: '=a > 1' } }] }] })).toBe(true);
  });

  it('refuses values of kinds it does not know, asking for the full FEEL', () => {
    expect(() => evaluate('a = 1', { a: new Date(0) })).toThrow(/FEEL is still loading/);
    expect(() => evaluate('a + 1', { a: 1 })).toThrow(/FEEL is still loading/);
  });
});
