import { wallClockMilliseconds } from '../values/date-text.js';

const dayMilliseconds = 86_400_000;
// Day 0 of Excel's 1900 date system, counted so that it is right from 1900-03-01 on (Excel
// believes 1900 was a leap year; before March 1900 its serials are one off).
const serialEpoch = Date.UTC(1899, 11, 30);
const firstDate = Date.UTC(1900, 2, 1);
const pastLastDate = Date.UTC(10_000, 0, 1);

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The serial number of a date cell: the wall-clock time of `date` in `timeZone`, in days since
 * Excel's epoch, or only its calendar day for a `date` column. `undefined` outside what Excel
 * shows as a date (1900-03-01 to 9999-12-31), which is then written as text.
 */
export function dateSerial(date: Date, timeZone: string, dayOnly: boolean): number | undefined {
  return serialOfWallClock(wallClockMilliseconds(date, timeZone), dayOnly);
}

/**
 * As `dateSerial`, for an ISO 8601 string (`2026-12-02`, `2026-12-02T21:30:05.123Z`,
 * `2026-12-02 21:30:05+03:00`): with an offset it is an instant, shown in `timeZone`; without,
 * its wall-clock time as written. Milliseconds at most: Excel keeps no finer time. Any other
 * string is `undefined`, and stays text.
 */
export function isoStringSerial(
  text: string,
  timeZone: string,
  dayOnly: boolean,
): number | undefined {
  const day = isoDate.exec(text);
  if (day) return serialOfWallClock(wallClock(day, 0, 0, 0, 0), dayOnly);
  const parts = isoDateTime.exec(text);
  if (!parts) return undefined;
  const [hour, minute, second] = [parts[4], parts[5], parts[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const milliseconds = Number((parts[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const written = wallClock(parts, hour, minute, second, milliseconds);
  if (written === undefined) return undefined;
  const zone = parts[8];
  if (zone === undefined) return serialOfWallClock(written, dayOnly);
  const instant = new Date(written - offsetMilliseconds(zone));
  return dateSerial(instant, timeZone, dayOnly);
}

function wallClock(
  parts: RegExpExecArray,
  hour: number,
  minute: number,
  second: number,
  milliseconds: number,
): number | undefined {
  const [year, month, day] = [parts[1], parts[2], parts[3]].map(Number) as [number, number, number];
  const time = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  // Date.UTC rolls 2026-02-30 over into March: such a day is not a date.
  const check = new Date(time);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return time;
}

function offsetMilliseconds(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  return sign * (hours * 60 + minutes) * 60_000;
}

function serialOfWallClock(wall: number | undefined, dayOnly: boolean): number | undefined {
  if (wall === undefined || !(wall >= firstDate && wall < pastLastDate)) return undefined;
  const days = (wall - serialEpoch) / dayMilliseconds;
  return dayOnly ? Math.floor(days) : days;
}
