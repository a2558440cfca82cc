import { describe, expect, it } from 'vitest';
import { latest, servicesOfForm, versionsOf, withFormVersion, type CatalogueService, type Definition } from './model_api';

const d = (kind: string, id: string, version: number): Definition => ({ key: `${kind}-${id}-${version}`, kind, id, version });

describe('designer definitions', () => {
  const all = [d('process', 'plakatierung', 1), d('process', 'plakatierung', 3), d('decision', 'plakatierung', 2),
    d('process', 'plakatierung', 2), d('process', 'aufgrabe', 1)];

  it('lists the versions of the opened definition, newest first, same kind and id only', () => {
    expect(versionsOf(all, 'process-plakatierung-1').map((x) => x.version)).toEqual([3, 2, 1]);
    expect(versionsOf(all, 'decision-plakatierung-2').map((x) => x.key)).toEqual(['decision-plakatierung-2']);
    expect(versionsOf(all, 'unknown')).toEqual([]);
  });

  it('keeps the latest version of each model', () => {
    expect(latest(all).map((x) => x.key)).toEqual(['process-aufgrabe-1', 'decision-plakatierung-2', 'process-plakatierung-3']);
  });
});

describe('catalogue forms', () => {
  const svc = (id: string, form: string, version: number): CatalogueService =>
    ({ id, name: { de: id }, form: { id: form, version }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z', tenant: 'amt' });

  it('finds the services whose application form it is', () => {
    const all = [svc('a', 'plakatierung', 1), svc('b', 'aufgrabe', 2), svc('c', 'plakatierung', 3)];
    expect(servicesOfForm(all, 'plakatierung').map((s) => s.id)).toEqual(['a', 'c']);
    expect(servicesOfForm(all, 'none')).toEqual([]);
  });

  it('pins a service to a version and leaves out what the server keeps itself', () => {
    const doc = withFormVersion({ ...svc('a', 'plakatierung', 1), fees: '10 EUR' }, 4);
    expect(doc).toEqual({ id: 'a', name: { de: 'a' }, form: { id: 'plakatierung', version: 4 }, fees: '10 EUR' });
  });
});
