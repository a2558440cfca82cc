// The form-js viewer in a Preact component (loaded on demand with the apply
// page). The parent gets a handle to validate, read and mark fields.
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js-viewer';
import { useEffect, useRef } from 'preact/hooks';
import { onFullFeel, prepareFeel } from '../lib/formFeel';
import { onMarked, prepareMarkdown } from '../lib/formMarkdown';
import { onPurify, preparePurify } from '../lib/formPurify';
import type { FieldInstance } from '../lib/formSchema';
import { localizeValidator } from '../lib/formValidation';

export interface FormHandle {
  submit(): { data: Record<string, unknown>; errors: Record<string, unknown>; files: Map<string, File[]> };
  instances(): FieldInstance[];
  setErrors(errors: Record<string, unknown>): void;
  formId(): string | null;
  labelOf(id: string): string | undefined;
}

interface Registry<T> { get(id: string): T | undefined }

// A field's visible label; date and time fields keep theirs in dateLabel /
// timeLabel (without this the error summary and review showed the field id).
function labelOfField(f: { label?: string; dateLabel?: string; timeLabel?: string } | undefined): string | undefined {
  return f?.label || f?.dateLabel || f?.timeLabel || undefined;
}
interface InstanceRegistry { getAllKeyed(): { id: string; valuePath: (string | number)[]; indexes?: Record<string, number>; hidden?: boolean }[] }

export function FormView({ schema, data, onReady, onChange }: {
  schema: Record<string, unknown>; data: Record<string, unknown>;
  onReady: (h: FormHandle) => void; onChange?: (data: Record<string, unknown>) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const host = ref.current;
    const form = new Form({ container: host });
    localizeValidator(form.get('validator'));  // form-js's own messages in the page's language
    let alive = true;
    // The full FEEL only for a schema whose expressions need it (lib/formFeel.ts),
    // DOMPurify only for one with an HTML field (lib/formPurify.ts), marked only
    // for texts with markdown (lib/formMarkdown.ts); if the form needs one
    // later, it renders again once it is here.
    // (Imported again with the answers so far: form-js memoizes what it rendered.)
    let imported = false;
    const rerender = () => {
      if (alive && imported) void form.importSchema(schema, form._getState().data);
    };
    const stopFeel = onFullFeel(rerender);
    const stopPurify = onPurify(rerender);
    const stopMarked = onMarked(rerender);
    Promise.all([prepareFeel(schema), preparePurify(schema), prepareMarkdown(schema)]).then(() => (alive ? form.importSchema(schema, data) : undefined)).then(() => {
      if (!alive) return;
      imported = true;
      const fields = form.get('formFieldRegistry') as Registry<{ label?: string; dateLabel?: string; timeLabel?: string }>;
      const handle: FormHandle = {
        submit: () => form.submit() as ReturnType<FormHandle['submit']>,
        instances: () => (form.get('formFieldInstanceRegistry') as InstanceRegistry).getAllKeyed()
          .filter((i) => !i.hidden)
          .map((i) => ({ id: i.id, valuePath: i.valuePath, ...(i.indexes ? { indexes: i.indexes } : {}),
            ...(labelOfField(fields.get(i.id)) ? { label: labelOfField(fields.get(i.id)) as string } : {}) })),
        setErrors: (errors) => form._setState({ errors }),
        formId: () => (form as unknown as { _id?: string })._id ?? null,
        labelOf: (id) => labelOfField(fields.get(id)),
      };
      onReady(handle);
    });
    if (onChange) form.on('changed', (e: { data: Record<string, unknown> }) => onChange(e.data));
    return () => {
      alive = false;
      stopFeel();
      stopPurify();
      stopMarked();
      form.destroy();
    };
  }, [schema]);
  return <div ref={ref} class="form-host" />;
}
