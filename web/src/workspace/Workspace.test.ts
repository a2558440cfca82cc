import { describe, expect, it } from 'vitest';
import { timelineText } from './CasePage';
import { variablesOf, appendPage, filterInbox, flattenData, formatSize, inboxUrl, inlineUrl, previewKind, sortInbox, threadOf, type InboxTask, type PostfachMessage } from './case_api';

const task = (id: string, createdAt: string, dueAt: string | null = null, caseNumber?: string, applicant = ''): InboxTask => ({
  id, name: 'Antrag prüfen', elementId: 'pruefen', instanceId: 'i', assignee: null, candidateGroups: ['ordnungsamt'], formKey: '',
  createdAt, dueAt,
  case: caseNumber ? {
    id: `c-${id}`, caseNumber, trackingCode: 'ABCD-EFGH-JKMN', serviceId: 'musterland-plakatierung', departmentId: 'ordnungsamt',
    instanceId: 'i', status: 'received', applicant: { name: applicant, email: '' }, assignee: null,
    submittedAt: createdAt, updatedAt: createdAt, dueAt: null, closedAt: null,
  } : null,
});

describe('sortInbox', () => {
  it('sorts by received date, by due date (none last) or by case number, without changing the input', () => {
    const tasks = [task('a', '2026-01-03', null, '2026-000003'), task('b', '2026-01-01', '2026-02-01', '2026-000010'), task('c', '2026-01-02', '2026-01-15')];
    expect(sortInbox(tasks, 'created').map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(sortInbox(tasks, 'due').map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(sortInbox(tasks, 'case').map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(tasks.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('filterInbox', () => {
  it('keeps rows whose task, case number or applicant hold every word, ignoring case', () => {
    const tasks = [task('a', '1', null, '2026-000001', 'Heimatverein Musterdorf'), task('b', '2', null, '2026-000002', 'Tiefbau Nord GmbH')];
    expect(filterInbox(tasks, 'heimatverein').map((x) => x.id)).toEqual(['a']);
    expect(filterInbox(tasks, '000002 tiefbau').map((x) => x.id)).toEqual(['b']);
    expect(filterInbox(tasks, 'prüfen').map((x) => x.id)).toEqual(['a', 'b']);
    expect(filterInbox(tasks, '  ').length).toBe(2);
  });
});

describe('inboxUrl and appendPage', () => {
  it('puts only the filters that are set in the query', () => {
    expect(inboxUrl('amt-musterland', { scope: 'departments' })).toBe('/api/v1/tenants/amt-musterland/inbox?scope=departments&limit=50');
    expect(inboxUrl('a b', { scope: 'all', service: 's', cursor: 'x=', limit: 10 }))
      .toBe('/api/v1/tenants/a%20b/inbox?scope=all&service=s&cursor=x%3D&limit=10');
  });
  it('keeps each task once when a page repeats one', () => {
    expect(appendPage([task('a', '1'), task('b', '2')], [task('b', '2'), task('c', '3')]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('flattenData', () => {
  it('turns nested data into dotted rows with list positions from 1', () => {
    expect(flattenData({ antragsteller: { name: 'Jäger', plz: '24999' }, standorte: [{ strasse: 'Dorfstraße' }], ok: true, leer: [], nichts: null })).toEqual([
      { path: 'antragsteller.name', value: 'Jäger' },
      { path: 'antragsteller.plz', value: '24999' },
      { path: 'standorte[1].strasse', value: 'Dorfstraße' },
      { path: 'ok', value: 'true' },
      { path: 'leer', value: '–' },
      { path: 'nichts', value: '–' },
    ]);
    expect(flattenData({})).toEqual([]);
  });
});

describe('formatSize', () => {
  it('uses B, KiB and MiB with the language\'s decimal mark', () => {
    expect(formatSize(512, 'de')).toBe('512 B');
    expect(formatSize(1536, 'de')).toBe('1,5 KiB');
    expect(formatSize(1536, 'en')).toBe('1.5 KiB');
    expect(formatSize(3 * 1024 * 1024, 'en')).toBe('3 MiB');
  });
});

describe('threadOf', () => {
  const m = (id: string, createdAt: string, direction: PostfachMessage['direction'], readByCitizenAt: string | null = null, readByOfficeAt: string | null = null): PostfachMessage =>
    ({ id, direction, subject: 's', text: 't', createdAt, readByCitizenAt, readByOfficeAt, attachments: [] });
  it('orders oldest first and counts unread messages from the reader\'s side', () => {
    const items = [m('b', '2026-01-02', 'toCitizen'), m('a', '2026-01-01', 'toOffice'), m('c', '2026-01-03', 'toCitizen', '2026-01-04')];
    const citizen = threadOf(items, 'citizen');
    expect(citizen.messages.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(citizen.unread).toEqual(['b']);
    expect(threadOf(items, 'office').unread).toEqual(['a']);
  });
});

describe('timelineText', () => {
  it('shows a note\'s text, a process step with its element and an audit action with its task', () => {
    expect(timelineText({ at: '', kind: 'note', type: 'note', details: { text: 'Rückruf' } })).toBe('Rückruf');
    expect(timelineText({ at: '', kind: 'process', type: 'element_activated', element: 'pruefen' })).toBe('element_activated · pruefen');
    expect(timelineText({ at: '', kind: 'audit', type: 'cases.task_claimed', details: { task: 'Antrag prüfen' } })).toBe('cases.task_claimed · Antrag prüfen');
  });
});

describe('variablesOf', () => {
  it('unwraps the variables answer and keeps a bare object', () => {
    expect(variablesOf({ variables: { gebuehr: 25 } })).toEqual({ gebuehr: 25 });
    expect(variablesOf({ gebuehr: 25, variables: 'x' })).toEqual({ gebuehr: 25, variables: 'x' });
  });
});

describe('document and Bescheid preview', () => {
  it('previews PDFs, browser images and text; TIFF and the rest only by download', () => {
    expect(previewKind('application/pdf')).toBe('pdf');
    expect(previewKind('image/png')).toBe('image');
    expect(previewKind('image/jpeg')).toBe('image');
    expect(previewKind('image/tiff')).toBe('none');
    expect(previewKind('text/plain; charset=utf-8')).toBe('text');
    expect(previewKind('application/xml')).toBe('text');
    expect(previewKind('application/zip')).toBe('none');
    expect(previewKind('')).toBe('none');
  });

  it('asks for the inline disposition', () => {
    expect(inlineUrl('/api/v1/x/content')).toBe('/api/v1/x/content?disposition=inline');
    expect(inlineUrl('/api/v1/x/content?v=2')).toBe('/api/v1/x/content?v=2&disposition=inline');
  });

});
