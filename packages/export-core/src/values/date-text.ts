/**
 * Dates in a time zone, as ISO 8601: `2026-12-02` for a date, `2026-12-02T20:41:17.000Z` for a
 * datetime in UTC and `2026-12-02T23:41:17.000+03:00` elsewhere, so the text says its zone.
 */
export function dateTimeText(date: Date, timeZone: string): string {
  if (timeZone === 'UTC') return date.toISOString();
  const parts = zonedParts(date, timeZone);
  const offsetMinutes = Math.round((parts.asUtc - date.getTime()) / 60_000);
  const millis = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${parts.date}T${parts.time}.${millis}${offsetText(offsetMinutes)}`;
}

export function dateText(date: Date, timeZone: string): string {
  if (timeZone === 'UTC') return date.toISOString().slice(0, 10);
  return zonedParts(date, timeZone).date;
}

/**
 * The wall-clock time of `date` in `timeZone`, as milliseconds of a UTC clock showing it: what a
 * spreadsheet's date serial holds, since it has no zone.
 */
export function wallClockMilliseconds(date: Date, timeZone: string): number {
  if (timeZone === 'UTC') return date.getTime();
  return zonedParts(date, timeZone).asUtc;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function zonedParts(date: Date, timeZone: string): { date: string; time: string; asUtc: number } {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) fields[part.type] = part.value;
  const year = Number(fields.year);
  const yearText =
    year < 0 || year > 9999
      ? `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`
      : String(year).padStart(4, '0');
  const day = `${yearText}-${fields.month}-${fields.day}`;
  const time = `${fields.hour}:${fields.minute}:${fields.second}`;
  const asUtc = Date.UTC(
    year,
    Number(fields.month) - 1,
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
    date.getUTCMilliseconds(),
  );
  return { date: day, time, asUtc };
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  return `${sign}${hours}:${String(absolute % 60).padStart(2, '0')}`;
}
