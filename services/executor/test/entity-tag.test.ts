import { describe, expect, it } from 'vitest';
import {
  entityTagOf,
  matchHolds,
  noneMatchHits,
  rangeStillApplies,
} from '../src/exports/entity-tag.js';

const sha256 = 'ab'.repeat(32);
const tag = `"${sha256}"`;

describe('entityTagOf', () => {
  it('quotes the SHA-256', () => {
    expect(entityTagOf(sha256)).toBe(tag);
  });
});

describe('noneMatchHits', () => {
  it.each([
    ['the tag', tag],
    ['its weak form', `W/${tag}`],
    ['*', '*'],
    ['* with spaces', ' * '],
    ['a list holding it', `"other", W/"more",${tag}`],
  ])('hits for %s', (_name, header) => {
    expect(noneMatchHits(header, tag)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another tag', '"other"'],
    ['the hash unquoted', sha256],
    ['a list without it', '"a", "b"'],
    ['an empty header', ''],
  ])('misses for %s', (_name, header) => {
    expect(noneMatchHits(header, tag)).toBe(false);
  });
});

describe('rangeStillApplies', () => {
  it('applies the range without If-Range', () => {
    expect(rangeStillApplies(undefined, tag)).toBe(true);
  });

  it('applies the range when If-Range is the tag', () => {
    expect(rangeStillApplies(` ${tag} `, tag)).toBe(true);
  });

  it.each([
    ['another tag', '"other"'],
    ['the weak form of the tag, since If-Range compares strongly', `W/${tag}`],
    ['a date', 'Wed, 21 Oct 2015 07:28:00 GMT'],
  ])('drops the range when If-Range is %s', (_name, header) => {
    expect(rangeStillApplies(header, tag)).toBe(false);
  });
});

describe('If-Match, which compares strongly', () => {
  const tag = entityTagOf('ab12');

  it.each([
    ['absent', undefined],
    ['the tag', tag],
    ['*', ' * '],
    ['a list holding the tag', `"other", ${tag}`],
  ])('holds when it is %s', (_name, header) => {
    expect(matchHolds(header, tag)).toBe(true);
  });

  it.each([
    ['another tag', '"other"'],
    ['the weak form of the tag', `W/${tag}`],
    ['empty', ''],
  ])('fails when it is %s', (_name, header) => {
    expect(matchHolds(header, tag)).toBe(false);
  });
});
