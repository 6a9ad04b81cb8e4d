import { InvalidRequestError } from '../errors.js';

/** Where a page ended: the last job's creation time and id, the list's sort key. */
export interface JobCursor {
  createdAt: string;
  id: string;
}

export function encodeJobCursor(cursor: JobCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeJobCursor(text: string): JobCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Falls through to the one error below.
  }
  throw new InvalidRequestError('querystring/cursor must be a nextCursor from an earlier page');
}

/** Newest first; the id breaks ties between jobs created in the same millisecond. */
export function compareNewestFirst(a: JobCursor, b: JobCursor): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}
