// form-js's Validator answers in the page's language (see formMessages.ts).
// Validator is not exported by form-js-viewer 1.23, so the form renderer
// (portal/FormView.tsx) hands over the form's own instance, whose two
// validation methods are wrapped; the language is read at each validation, so
// a switch applies from the next check on.
import { documentLang, translateFormError } from './formMessages';

type Validate = (a: unknown, value: unknown) => string[];
type ValidatorLike = Partial<Record<'validateFieldInstance' | 'validateField', Validate>> & { __amtswegLocalized?: boolean };

export function localizeValidator(validator: unknown): void {
  const v = validator as ValidatorLike | null;
  if (!v || v.__amtswegLocalized) return;
  for (const name of ['validateFieldInstance', 'validateField'] as const) {
    const original = v[name];
    if (typeof original !== 'function') continue;
    v[name] = (a: unknown, value: unknown) => original.call(v, a, value).map((m) => translateFormError(m, documentLang()));
  }
  v.__amtswegLocalized = true;
}
