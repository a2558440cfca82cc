import { DateTime as Luxon } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DateTime } from './formDates';

// form-js's two date conversions must give luxon's answers.
describe('the date conversions of the form renderer', () => {
  // (ISO week dates such as 2024-W01-1 never get here: form-js drops values Date.parse cannot read.)
  const texts = ['2024-05-01', '2024-02-29', '2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-04-31',
    '1900-01-01', '0099-12-31', '9999-12-31', '+010000-01-01', '-000001-06-15', '2024-5-1', '24-05-01', '2024-05-01 ',
    '', 'kein Datum', '2000-02-29', '1900-02-29', '2024-12-31'];
  for (const text of texts) {
    it(`reads "${text}" as luxon does`, () => {
      const ours = DateTime.fromISO(text).toJSDate();
      const theirs = Luxon.fromISO(text).toJSDate();
      expect(isNaN(ours.getTime()), text).toBe(isNaN(theirs.getTime()));
      if (!isNaN(theirs.getTime())) expect(ours.getTime(), text).toBe(theirs.getTime());
    });
  }

  it('writes dates as luxon does', () => {
    const dates = [new Date(2024, 4, 1), new Date(2024, 4, 1, 23, 59, 59), new Date(2024, 0, 1, 0, 0, 0), new Date(NaN),
      new Date(Date.UTC(2024, 2, 31, 22, 30)), new Date(99, 0, 1), (() => { const d = new Date(0); d.setFullYear(50, 1, 3); return d; })(),
      (() => { const d = new Date(0); d.setFullYear(12345, 6, 7); return d; })(), new Date(1900, 0, 1)];
    for (const date of dates) {
      expect(DateTime.fromJSDate(date).toISODate(), String(date)).toBe(Luxon.fromJSDate(date).toISODate());
    }
  });
});
