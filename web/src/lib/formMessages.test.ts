import { describe, expect, it } from 'vitest';
import { translateFormError } from './formMessages';
import { localizeValidator } from './formValidation';

// The texts exactly as form-js-viewer 1.23's Validator writes them.
const english = {
  required: 'Field is required.',
  min: 'Field must have minimum value of 0.5.',
  max: 'Field must have maximum value of 100.',
  minLength: 'Field must have minimum length of 5.',
  maxLength: 'Field must have maximum length of 200.',
  pattern: 'Field must match pattern ^[0-9]{5}$.',
  phone: 'Field must be a valid  international phone number. (e.g. +4930664040900)',
  email: 'Field must be a valid email.',
  nan: 'Value is not a number.',
  integer: 'Value is expected to be an integer.',
  decimals1: 'Value is expected to have at most 1 decimal digit.',
  decimals2: 'Value is expected to have at most 2 decimal digits.',
  increment: 'Please select a valid value, the two nearest valid values are 0.5 and 1.',
};

describe('form-js validation texts', () => {
  it('are German in German', () => {
    const de = Object.fromEntries(Object.entries(english).map(([k, v]) => [k, translateFormError(v, 'de')]));
    expect(de).toEqual({
      required: 'Bitte füllen Sie dieses Pflichtfeld aus.',
      min: 'Der Wert muss mindestens 0,5 sein.',
      max: 'Der Wert darf höchstens 100 sein.',
      minLength: 'Bitte geben Sie mindestens 5 Zeichen ein.',
      maxLength: 'Bitte geben Sie höchstens 200 Zeichen ein.',
      pattern: 'Die Eingabe hat nicht das erwartete Format (^[0-9]{5}$).',
      phone: 'Bitte geben Sie eine Telefonnummer im internationalen Format ein (z. B. +4930664040900).',
      email: 'Bitte geben Sie eine gültige E-Mail-Adresse ein (z. B. name@beispiel.de).',
      nan: 'Bitte geben Sie eine Zahl ein.',
      integer: 'Bitte geben Sie eine ganze Zahl ein.',
      decimals1: 'Bitte geben Sie höchstens eine Nachkommastelle ein.',
      decimals2: 'Bitte geben Sie höchstens 2 Nachkommastellen ein.',
      increment: 'Bitte geben Sie einen gültigen Wert ein; die nächsten gültigen Werte sind 0,5 und 1.',
    });
  });

  it('stay as they are in English, and unknown texts pass unchanged', () => {
    for (const v of Object.values(english)) expect(translateFormError(v, 'en')).toBe(v);
    expect(translateFormError('Bitte eine Postleitzahl mit 5 Ziffern.', 'de')).toBe('Bitte eine Postleitzahl mit 5 Ziffern.');
  });

  it('covers every message form-js-viewer writes', async () => {
    // Guards an upgrade: a new English text in the Validator must get a German one.
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(new URL('../../node_modules/@bpmn-io/form-js-viewer/dist/index.es.js', import.meta.url), 'utf8');
    const start = src.indexOf('function runNumberValidation');
    const end = src.indexOf('function evaluateFEELValues');
    const pushes = src.slice(start, end).match(/errors\.push\(/g) ?? [];
    // 13 pushes: pattern, required, min (+ invalid), max (+ invalid), minLength, maxLength, phone, email,
    // not a number, decimals (integer or n digits), increment.
    expect(pushes.length).toBe(13);
  });

  it('wraps a validator instance once, reading the language at each call', () => {
    const calls: unknown[] = [];
    const validator = {
      validateFieldInstance: (field: unknown) => { calls.push(field); return ['Field is required.']; },
      validateField: () => ['Field must be a valid email.'],
    };
    localizeValidator(validator);
    localizeValidator(validator);  // a second form on the page: not wrapped twice
    // No document in Node: German, the default.
    expect(validator.validateFieldInstance({ id: 'f' })).toEqual(['Bitte füllen Sie dieses Pflichtfeld aus.']);
    expect(calls).toEqual([{ id: 'f' }]);
    expect(validator.validateField()).toEqual(['Bitte geben Sie eine gültige E-Mail-Adresse ein (z. B. name@beispiel.de).']);
    localizeValidator(null);
  });
});
