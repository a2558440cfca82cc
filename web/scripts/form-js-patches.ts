// Vite plugin: small, measured fixes to the form-js viewer's code as it is
// bundled (version 1.23; the build fails if a fix no longer applies, so an
// upgrade looks at them again instead of silently losing them).
//
// - FEEL (feelin with lezer's parser and luxon, feelers) is loaded only for
//   forms that need more than src/lib/formFeel.ts evaluates itself: form-js
//   imports FEEL from there; the form editor registers the full FEEL (and
//   DOMPurify and marked, below) first (src/lib/formFull.ts).
// - Date fields are the browser's own `<input type="date">` instead of
//   flatpickr (14 KB gzip, and three pickers built at every form's start):
//   accessible, in the browser's language (flatpickr showed English month
//   names on German pages), the phone's native picker. The value stays
//   form-js's: a Date for the field, 'YYYY-MM-DD' in the data.
// - luxon (22 KB gzip) only with the full FEEL: form-js's own two date
//   conversions come from src/lib/formDates.ts.
// - DOMPurify (12 KB gzip; only form-js's `html` field uses it) is loaded only
//   for forms with such a field (src/lib/formPurify.ts).
// - marked (15 KB gzip, ~200 ms of a phone's main thread for its first text)
//   only for text fields that are more than plain sentences
//   (src/lib/formMarkdown.ts).
// - lodash's isEqual (5 KB gzip) as src/lib/formEqual.ts.
// - A field's validation at start (form-js validates every field with an
//   initial value, e.g. a dynamic list's first row) set the form's state even
//   when the errors stayed the same, and each such update rendered the whole
//   form a second time (~60-80 ms at 4x CPU on the Plakatierung form): now
//   only a change of the errors updates the state.
// - A date entered the moment its field appears (autofill, a fast hand,
//   Playwright) was lost: the field's start-up effect replaced the pending
//   change request with a plain refresh. It now refreshes only when nothing is
//   pending (the pending change computes the value anyway).
// - form-js.css without flatpickr's rules (124 rules, 20 of its 87 KB), which
//   nothing renders any more: less CSS to fetch and to match at every style
//   recalculation of the form page.
import type { Plugin } from 'vite';

const viewer = /@bpmn-io\/form-js-viewer\/dist\/index\.es\.js$/;
const editor = /@bpmn-io\/form-js-editor\/dist\/index\.es\.js$/;

interface Patch { file: RegExp; find: string; replace: string; why: string }

export const formJsPatches: Patch[] = [
  {
    file: viewer,
    find: "import { parseExpression, parseUnaryTests, evaluate, unaryTest } from '@bpmn-io/feelin';",
    replace: "import { parseExpression, parseUnaryTests, evaluate, unaryTest } from '/src/lib/formFeel.ts';",
    why: 'FEEL expressions through the lazy FEEL of src/lib/formFeel.ts',
  },
  {
    file: viewer,
    find: "import { evaluate as evaluate$1, parseToSimpleTree } from 'feelers';",
    replace: "import { evaluateTemplate as evaluate$1, parseToSimpleTree } from '/src/lib/formFeel.ts';",
    why: 'FEEL templates through the lazy FEEL of src/lib/formFeel.ts',
  },
  {
    file: editor,
    find: "import { FeelersEditor } from '@bpmn-io/feelers-editor';",
    replace: "import { FeelersEditor } from '@bpmn-io/feelers-editor';\nimport '/src/lib/formFull.ts';",
    why: 'the form editor has the full FEEL from the start',
  },
  {
    file: viewer,
    find: "import flatpickr from 'flatpickr';\n",
    replace: '',
    why: 'no flatpickr: date fields are native date inputs',
  },
  {
    file: viewer,
    find: 'function Datepicker(props) {',
    replace: [
      'function awDateOf(value) {',
      '  const m = /^(\\d{4})-(\\d{2})-(\\d{2})$/.exec(value);',
      '  if (!m) return new Date(NaN);',
      '  const date = new Date(0);',
      '  date.setFullYear(+m[1], +m[2] - 1, +m[3]);',
      '  date.setHours(0, 0, 0, 0);',
      '  return date;',
      '}',
      'function Datepicker(props) {',
      '  const { label, domId, collapseLabelOnEmpty, onDateTimeBlur, onDateTimeFocus, required, disabled,',
      '    disallowPassedDates, date, readonly, setDate } = props;',
      "  const onChange = useCallback(e => setDate(awDateOf(e.target.value)), [setDate]);",
      '  return jsxs("div", {',
      '    class: "fjs-datetime-subsection",',
      '    children: [jsx(Label, { htmlFor: domId, label: label, collapseOnEmpty: collapseLabelOnEmpty, required: required }),',
      '      jsx(InputAdorner, { disabled: disabled, readonly: readonly, children: jsx("input", {',
      '        type: "date", id: domId, class: "fjs-input", disabled: disabled, readOnly: readonly,',
      "        min: disallowPassedDates ? serializeDate(new Date()) : '1900-01-01', max: '9999-12-31',",
      "        value: isValidDate(date) ? serializeDate(date) : '',",
      '        onChange: onChange, onFocus: onDateTimeFocus, onBlur: onDateTimeBlur,',
      "        'aria-describedby': props['aria-describedby']",
      '      }) })]',
      '  });',
      '}',
      'function awFlatpickrDatepicker(props) {',
    ].join('\n'),
    why: 'date fields as native date inputs',
  },
  {
    file: viewer,
    find: "import { DateTime } from 'luxon';",
    replace: "import { DateTime } from '/src/lib/formDates.ts';",
    why: "form-js's two date conversions without luxon",
  },
  {
    file: viewer,
    find: "import DOMPurify from 'dompurify';",
    replace: "import DOMPurify from '/src/lib/formPurify.ts';",
    why: 'DOMPurify only for forms with an HTML field',
  },
  {
    file: viewer,
    find: "import { marked } from 'marked';",
    replace: "import { marked } from '/src/lib/formMarkdown.ts';",
    why: 'marked only for text fields with markdown',
  },
  {
    file: viewer,
    find: '    this._form._setState({\n      errors: nextErrors\n    });\n  }\n  revert(context) {',
    replace: [
      '    if (!isEqual(context.oldErrors, nextErrors)) {',
      '      this._form._setState({',
      '        errors: nextErrors',
      '      });',
      '    }',
      '  }',
      '  revert(context) {',
    ].join('\n'),
    why: 'no state update (and no second render of the whole form) when a validation leaves the errors as they were',
  },
  {
    file: viewer,
    find: '  useEffect(() => {\n    setDateTimeUpdateRequest({\n      refreshOnly: true\n    });\n  }, [timeSerializingFormat]);',
    replace: [
      '  useEffect(() => {',
      '    setDateTimeUpdateRequest(prev => prev || {',
      '      refreshOnly: true',
      '    });',
      '  }, [timeSerializingFormat]);',
    ].join('\n'),
    why: "a date entered before the field's start-up effects ran is kept, not replaced by their refresh request",
  },
  {
    file: viewer,
    find: "import isEqual from 'lodash/isEqual';",
    replace: "import isEqual from '/src/lib/formEqual.ts';",
    why: "deep equality without lodash",
  },
];

export function applyPatches(code: string, id: string, patches: Patch[]): string | null {
  let out: string | null = null;
  for (const p of patches) {
    if (!p.file.test(id.replaceAll('\\', '/'))) continue;
    const src: string = out ?? code;
    const at = src.indexOf(p.find);
    if (at < 0 || src.indexOf(p.find, at + 1) >= 0) {
      throw new Error(`form-js patch (${p.why}) does not apply to ${id}: expected "${p.find}" exactly once`);
    }
    out = src.slice(0, at) + p.replace + src.slice(at + p.find.length);
  }
  return out;
}

const formJsCss = /@bpmn-io\/form-js-viewer\/dist\/assets\/form-js\.css$/;

// Drops the top-level rules (and @keyframes) whose selector names flatpickr.
// Fails when there are none (form-js changed its CSS) or when a nested block
// mentions flatpickr (then this simple cut would not be enough).
export function withoutFlatpickrCss(css: string): string {
  const kept: string[] = [];
  let depth = 0;
  let start = 0;
  let dropped = 0;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) {
      const block = css.slice(start, i + 1);
      const selector = block.slice(0, block.indexOf('{'));
      if (/flatpickr|@keyframes fp/.test(selector)) dropped++;
      else if (block.includes('flatpickr')) throw new Error('form-js.css: a nested block mentions flatpickr; look at the CSS patch again');
      else kept.push(block);
      start = i + 1;
    }
  }
  if (dropped === 0) throw new Error('form-js.css: no flatpickr rules found; look at the CSS patch again');
  kept.push(css.slice(start));
  return kept.join('');
}

export function formJsPatchesPlugin(patches: Patch[] = formJsPatches): Plugin {
  return {
    name: 'amtsweg-form-js-patches',
    enforce: 'pre',
    transform(code, id) {
      if (formJsCss.test(id.replaceAll('\\', '/').split('?')[0] ?? '')) return { code: withoutFlatpickrCss(code), map: null };
      const patched = applyPatches(code, id, patches);
      return patched === null ? null : { code: patched, map: null };
    },
  };
}
