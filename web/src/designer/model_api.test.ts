import { describe, expect, it } from 'vitest';
import { latest, versionsOf, type Definition } from './model_api';

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
