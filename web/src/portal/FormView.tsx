// The form-js viewer in a Preact component (loaded on demand with the apply
// page). The parent gets a handle to validate, read and mark fields.
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js-viewer';
import { useEffect, useRef } from 'preact/hooks';
import type { FieldInstance } from '../lib/formSchema';

export interface FormHandle {
  submit(): { data: Record<string, unknown>; errors: Record<string, unknown>; files: Map<string, File[]> };
  instances(): FieldInstance[];
  setErrors(errors: Record<string, unknown>): void;
  formId(): string | null;
  labelOf(id: string): string | undefined;
}

interface Registry<T> { get(id: string): T | undefined }
interface InstanceRegistry { getAllKeyed(): { id: string; valuePath: (string | number)[]; indexes?: Record<string, number>; hidden?: boolean }[] }

export function FormView({ schema, data, onReady, onChange }: {
  schema: Record<string, unknown>; data: Record<string, unknown>;
  onReady: (h: FormHandle) => void; onChange?: (data: Record<string, unknown>) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const form = new Form({ container: ref.current });
    let alive = true;
    form.importSchema(schema, data).then(() => {
      if (!alive) return;
      const fields = form.get('formFieldRegistry') as Registry<{ label?: string }>;
      const handle: FormHandle = {
        submit: () => form.submit() as ReturnType<FormHandle['submit']>,
        instances: () => (form.get('formFieldInstanceRegistry') as InstanceRegistry).getAllKeyed()
          .filter((i) => !i.hidden)
          .map((i) => ({ id: i.id, valuePath: i.valuePath, ...(i.indexes ? { indexes: i.indexes } : {}),
            ...(fields.get(i.id)?.label ? { label: fields.get(i.id)?.label as string } : {}) })),
        setErrors: (errors) => form._setState({ errors }),
        formId: () => (form as unknown as { _id?: string })._id ?? null,
        labelOf: (id) => fields.get(id)?.label,
      };
      onReady(handle);
    });
    if (onChange) form.on('changed', (e: { data: Record<string, unknown> }) => onChange(e.data));
    return () => {
      alive = false;
      form.destroy();
    };
  }, [schema]);
  return <div ref={ref} class="form-host" />;
}
