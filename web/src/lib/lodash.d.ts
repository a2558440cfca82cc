// lodash ships no types; formEqual.test.ts compares lib/formEqual.ts with this one function.
declare module 'lodash/isEqual' {
  export default function isEqual(a: unknown, b: unknown): boolean;
}
