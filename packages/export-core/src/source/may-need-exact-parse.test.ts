import { describe, expect, it } from 'vitest';
import { mayNeedExactParse } from './may-need-exact-parse.js';

describe('mayNeedExactParse', () => {
  it.each([
    '{"a":1e5}',
    '{"a":1E+21}',
    '{"a":-2.5e-3}',
    '{"a":100.10}',
    '{"a":1.0}',
    '{"a":-0}',
    '{"a":-0.0}',
    '{"a":0.0000001}',
    '{"a":1234567890123456}',
    '{"a":1.234567890123456}',
    '[12345678901234567890]',
    '[1,\n  -0 ]',
    '{"a" :\r\n\t[ [ 1e400 ] ] }',
    '{"name":1,"2024":2}',
    '{"0" : 1}',
    '{"\\u0032024":1}',
  ])('says yes for %s', (text) => {
    expect(mayNeedExactParse(text)).toBe(true);
  });

  it.each([
    '{"a":1,"b":-0.5,"c":0.1,"d":123456789012345,"e":0.000001,"f":10}',
    '{"id":1,"timestamp":"2026-01-01T10:20:31.500Z","value":4729.26}',
    '{"hash":"a3e4","v":"1e5","w":"100.10","k":"2024"}',
    '{"a2024":1,"2024a":2,"x":[-0.25,0,1]}',
  ])('says no for %s', (text) => {
    expect(mayNeedExactParse(text)).toBe(false);
  });
});
