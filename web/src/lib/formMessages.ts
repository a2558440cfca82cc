// form-js (1.23) writes its own validation texts in English and has no i18n
// API for them (Validator's runPresetValidation/runNumberValidation build the
// strings). translateFormError maps each of those texts to German; English and
// texts it does not know (a form author's patternErrorMessage) pass unchanged.
import type { Lang } from './messages';

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const german: Rule[] = [
  [/^Field is required\.$/, () => 'Bitte füllen Sie dieses Pflichtfeld aus.'],
  [/^Field must have minimum value of (.+)\.$/, (m) => `Der Wert muss mindestens ${num(m[1])} sein.`],
  [/^Field must have maximum value of (.+)\.$/, (m) => `Der Wert darf höchstens ${num(m[1])} sein.`],
  [/^Field must have minimum length of (\d+)\.$/, (m) => `Bitte geben Sie mindestens ${m[1]} Zeichen ein.`],
  [/^Field must have maximum length of (\d+)\.$/, (m) => `Bitte geben Sie höchstens ${m[1]} Zeichen ein.`],
  [/^Field must match pattern (.+)\.$/, (m) => `Die Eingabe hat nicht das erwartete Format (${m[1]}).`],
  [/^Field must be a valid\s+international phone number\. \(e\.g\. (\+\d+)\)$/,
    (m) => `Bitte geben Sie eine Telefonnummer im internationalen Format ein (z. B. ${m[1]}).`],
  [/^Field must be a valid email\.$/, () => 'Bitte geben Sie eine gültige E-Mail-Adresse ein (z. B. name@beispiel.de).'],
  [/^Value is not a number\.$/, () => 'Bitte geben Sie eine Zahl ein.'],
  [/^Value is expected to be an integer\.$/, () => 'Bitte geben Sie eine ganze Zahl ein.'],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/,
    (m) => (m[1] === '1' ? 'Bitte geben Sie höchstens eine Nachkommastelle ein.' : `Bitte geben Sie höchstens ${m[1]} Nachkommastellen ein.`)],
  [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/,
    (m) => `Bitte geben Sie einen gültigen Wert ein; die nächsten gültigen Werte sind ${num(m[1])} und ${num(m[2])}.`],
  [/^Min validation value is not a valid number\.$/, () => 'Der Mindestwert dieses Feldes ist keine gültige Zahl (Fehler im Formular).'],
  [/^Max validation value is not a valid number\.$/, () => 'Der Höchstwert dieses Feldes ist keine gültige Zahl (Fehler im Formular).'],
];

// A decimal point becomes a decimal comma ("0.5" → "0,5"); anything else stays.
function num(s: string | undefined): string {
  return s !== undefined && /^-?\d+\.\d+$/.test(s) ? s.replace('.', ',') : s ?? '';
}

export function translateFormError(message: string, lang: Lang): string {
  if (lang !== 'de') return message;
  for (const [re, to] of german) {
    const m = message.match(re);
    if (m) return to(m);
  }
  return message;
}

// The page's language as LangProvider sets it on <html lang>.
export function documentLang(): Lang {
  return typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'de';
}
