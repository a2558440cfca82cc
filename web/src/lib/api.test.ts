import { describe, expect, it } from 'vitest';
import { problemFromBody } from './api';

describe('problemFromBody', () => {
  it('reads RFC 9457 fields and per-field errors', () => {
    const p = problemFromBody(422, {
      type: 'https://amtsweg.de/problems/validation', title: 'Ungültige Angaben', status: 422,
      errors: [{ pointer: '/antrag/anzahl', code: 'max', detail: 'Höchstens 30.' }, { field: '/name', message: 'Pflichtfeld' }],
    });
    expect(p.title).toBe('Ungültige Angaben');
    expect(p.errors).toEqual([
      { pointer: '/antrag/anzahl', code: 'max', detail: 'Höchstens 30.' },
      { pointer: '/name', detail: 'Pflichtfeld' },
    ]);
  });
  it('survives a body that is not a problem', () => {
    expect(problemFromBody(502, 'Bad Gateway')).toEqual({ title: 'HTTP 502', status: 502, errors: [] });
  });
});
