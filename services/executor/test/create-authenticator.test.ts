import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';

const authenticate = createAuthenticator(
  new Map([
    ['aaaaaaaaaaaaaaaa1', 'alice'],
    ['bbbbbbbbbbbbbbbb2', 'bob'],
  ]),
);

describe('createAuthenticator', () => {
  it('gives the user of a known bearer token', () => {
    expect(authenticate('Bearer aaaaaaaaaaaaaaaa1')).toBe('alice');
    expect(authenticate('bearer bbbbbbbbbbbbbbbb2')).toBe('bob');
  });

  it.each([
    undefined,
    '',
    'aaaaaaaaaaaaaaaa1',
    'Basic aaaaaaaaaaaaaaaa1',
    'Bearer aaaaaaaaaaaaaaaa',
    'Bearer aaaaaaaaaaaaaaaa1x',
    'Bearer  aaaaaaaaaaaaaaaa1',
  ])('gives no user for %j', (header) => {
    expect(authenticate(header)).toBeUndefined();
  });
});
