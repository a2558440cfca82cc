// The two date conversions form-js's viewer takes from luxon (62 KB before
// minification, 22 KB gzip, for these two calls alone once FEEL is loaded
// lazily; see lib/formFeel.ts): a date field's Date to 'YYYY-MM-DD' in the
// local time zone, and such a string back to a Date at local midnight. The
// build points form-js's `import { DateTime } from 'luxon'` here
// (scripts/form-js-patches.ts); formDates.test.ts compares both with luxon.
// The values form-js passes have two '-' and no 'T' (sanitizeDateTimePickerValue).

const pad = (n: number, width: number) => String(n).padStart(width, '0');

// luxon's ISO year: four digits, or six with a sign outside 0..9999.
function isoYear(year: number): string {
  if (year > 9999) return `+${pad(year, 6)}`;
  if (year < 0) return `-${pad(-year, 6)}`;
  return pad(year, 4);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() + (month === 2 && isLeap(year) ? 1 : 0) - (month === 2 ? 1 : 0);
}
function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

class LocalDate {
  constructor(private readonly date: Date | null) {}
  toISODate(): string | null {
    const d = this.date;
    if (!d || isNaN(d.getTime())) return null;
    return `${isoYear(d.getFullYear())}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
  }
  toJSDate(): Date {
    return this.date ? new Date(this.date.getTime()) : new Date(NaN);
  }
}

export const DateTime = {
  fromJSDate(date: Date): LocalDate {
    return new LocalDate(date instanceof Date ? date : null);
  },
  // Only calendar dates (YYYY-MM-DD, or ±YYYYYY-MM-DD); anything else is invalid.
  fromISO(text: string): LocalDate {
    const m = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return new LocalDate(null);
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return new LocalDate(null);
    const date = new Date(0);
    date.setFullYear(year, month - 1, day);
    date.setHours(0, 0, 0, 0);
    return new LocalDate(date);
  },
};
