// luxon ships no types; formDates.test.ts compares lib/formDates.ts with these two of its calls.
declare module 'luxon' {
  export const DateTime: {
    fromISO(text: string): { toJSDate(): Date };
    fromJSDate(date: Date): { toISODate(): string | null };
  };
}
