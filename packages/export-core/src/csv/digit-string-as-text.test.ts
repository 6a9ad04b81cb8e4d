import { describe, expect, it } from 'vitest';
import { digitStringAsText } from './digit-string-as-text.js';

describe('digitStringAsText', () => {
  it.each([
    ['00123', '="00123"'],
    ['1234567890123456', '="1234567890123456"'],
    ['0', '0'],
    ['123456789012345', '123456789012345'],
    ['12a', '12a'],
    ['', ''],
  ])('writes %j as %j', (text, written) => {
    expect(digitStringAsText(text)).toBe(written);
  });
});
