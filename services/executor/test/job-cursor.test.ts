import { describe, expect, it } from 'vitest';
import { compareNewestFirst, decodeJobCursor, encodeJobCursor } from '../src/jobs/job-cursor.js';

const cursor = {
  createdAt: '2030-01-01T00:00:00.000Z',
  id: '0b5e7a52-4c1e-4b8e-9a57-3f0c2f7e1a11',
};

describe('encodeJobCursor and decodeJobCursor', () => {
  it('give back the cursor they were given', () => {
    expect(decodeJobCursor(encodeJobCursor(cursor))).toEqual(cursor);
  });

  it('encode to text safe in a query string', () => {
    expect(encodeJobCursor(cursor)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['not base64url JSON', 'nope'],
    ['empty', ''],
    ['JSON of an object', Buffer.from(JSON.stringify(cursor)).toString('base64url')],
    ['an array of one', Buffer.from('["2030-01-01"]').toString('base64url')],
    ['an array of numbers', Buffer.from('[1,2]').toString('base64url')],
    ['an array of three', Buffer.from('["a","b","c"]').toString('base64url')],
  ])('throw EXECUTOR_INVALID_REQUEST for a cursor that is %s', (_name, text) => {
    expect(() => decodeJobCursor(text)).toThrow(
      expect.objectContaining({
        code: 'EXECUTOR_INVALID_REQUEST',
        statusCode: 400,
        message: 'querystring/cursor must be a nextCursor from an earlier page',
      }),
    );
  });
});

describe('compareNewestFirst', () => {
  const older = { createdAt: '2030-01-01T00:00:00.000Z', id: 'b' };
  const newer = { createdAt: '2030-01-01T00:00:00.001Z', id: 'a' };

  it('puts the newer job first', () => {
    expect([older, newer].sort(compareNewestFirst)).toEqual([newer, older]);
  });

  it('orders jobs of the same millisecond by id, highest first', () => {
    const sameTime = { createdAt: older.createdAt, id: 'c' };
    expect([older, sameTime].sort(compareNewestFirst)).toEqual([sameTime, older]);
  });

  it('finds a job equal to itself', () => {
    expect(compareNewestFirst(older, { ...older })).toBe(0);
  });
});
