// Helpers around form-js schemas in the portal: the English texts of a form,
// and the mapping of the server's per-field errors onto form-js fields.
//
// Bilingual forms (an Amtsweg convention on top of form-js, editable in the
// form editor as custom properties): a component's English label,
// description and text are `properties["label@en"]`, `properties["description@en"]`
// and `properties["text@en"]`; an option's English label is `"label@en"` on the
// option object. German is the schema's own text.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A copy of `schema` with the English texts put in place (German: unchanged).
export function localizeSchema<T>(schema: T, lang: 'de' | 'en'): T {
  if (lang === 'de') return schema;
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    const props = isObj(out['properties']) ? out['properties'] : undefined;
    for (const key of ['label', 'description', 'text', 'dateLabel', 'timeLabel']) {
      const en = props?.[`${key}@en`];
      if (typeof en === 'string' && en !== '') out[key] = en;
    }
    const optionEn = out['label@en'];
    if (typeof optionEn === 'string' && optionEn !== '' && 'value' in out) out['label'] = optionEn;
    return out;
  };
  return walk(schema as unknown as Json) as unknown as T;
}

export interface FieldInstance {
  id: string;                              // component id
  valuePath: (string | number)[];          // where its value sits in the data
  indexes?: Record<string, number>;        // positions inside dynamic lists
  label?: string;
}

export interface ServerFieldError { pointer: string; detail: string }

export interface MappedErrors {
  errors: Record<string, unknown>;        // form-js state: errors[id][...indexes] = [messages]
  summary: { text: string; href?: string }[];
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointerOf(valuePath: (string | number)[]): string {
  return valuePath.length === 0 ? '' : '/' + valuePath.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

// The DOM id form-js gives a field instance (prefixId in form-js-viewer).
export function domId(formId: string | null, inst: FieldInstance): string {
  let id = 'fjs-form';
  if (formId) id += `-${formId}`;
  id += `-${inst.id}`;
  for (const i of Object.values(inst.indexes ?? {})) id += `_${i}`;
  return id;
}

// Puts each server error on the field whose value it is about (the deepest
// field whose pointer is a prefix of the error's pointer, so an error about a
// list item's sub-value lands on that item's field); errors that match no
// field stay in the summary without a link.
export function mapServerErrors(instances: FieldInstance[], errors: ServerFieldError[], formId: string | null): MappedErrors {
  const byPointer = new Map<string, FieldInstance>();
  for (const inst of instances) byPointer.set(pointerOf(inst.valuePath), inst);
  const state: Record<string, unknown> = {};
  const summary: MappedErrors['summary'] = [];
  for (const e of errors) {
    let inst: FieldInstance | undefined;
    const tokens = e.pointer.split('/').slice(1).map(unescapePointer);
    for (let n = tokens.length; n > 0 && !inst; --n) {
      inst = byPointer.get(pointerOf(tokens.slice(0, n)));
    }
    if (!inst) {
      summary.push({ text: e.detail });
      continue;
    }
    const path = [inst.id, ...Object.values(inst.indexes ?? {})];
    let node = state;
    for (let i = 0; i < path.length - 1; ++i) {
      const k = String(path[i]);
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    const last = String(path[path.length - 1]);
    const list = Array.isArray(node[last]) ? (node[last] as string[]) : [];
    list.push(e.detail);
    node[last] = list;
    summary.push({ text: inst.label ? `${inst.label}: ${e.detail}` : e.detail, href: `#${domId(formId, inst)}` });
  }
  return { errors: state, summary };
}
