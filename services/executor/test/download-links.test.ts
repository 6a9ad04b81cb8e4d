import { describe, expect, it } from 'vitest';
import { createDownloadLinks, signDownloadLink } from '../src/links/download-links.js';

const secret = 's'.repeat(32);
const oldSecret = 'o'.repeat(32);
const id = '6f1c2f7e-3b7a-4c55-9a55-3a4f0f1f2b10';
const start = Date.UTC(2026, 11, 4, 12, 0, 0);

function clock(at: number) {
  const time = { now: at };
  return { time, now: () => time.now };
}

function partsOf(url: string) {
  const parsed = new URL(url, 'http://relative.invalid');
  return {
    path: parsed.pathname,
    expires: parsed.searchParams.get('expires') ?? undefined,
    signature: parsed.searchParams.get('signature') ?? undefined,
  };
}

function codeOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('download links', () => {
  it('point at /export/downloads/:id, relative, and expire the TTL from when they are made', () => {
    const { now } = clock(start);
    const links = createDownloadLinks({ secrets: [secret], ttlSeconds: 600, now });
    const link = links.linkTo(id);
    const { path, expires } = partsOf(link.url);
    expect(link.url.startsWith('/export/downloads/')).toBe(true);
    expect(path).toBe(`/export/downloads/${id}`);
    expect(Number(expires)).toBe(start / 1000 + 600);
    expect(link.expiresAt).toBe('2026-12-04T12:10:00.000Z');
  });

  it('are absolute under the public URL, without a doubled slash', () => {
    const links = createDownloadLinks({
      secrets: [secret],
      ttlSeconds: 60,
      publicUrl: 'https://exports.example.com/api/',
    });
    expect(links.linkTo(id).url).toMatch(
      new RegExp(`^https://exports\\.example\\.com/api/export/downloads/${id}\\?expires=`),
    );
  });

  it('verify until they expire, then fail with EXECUTOR_LINK_EXPIRED', () => {
    const { time, now } = clock(start);
    const links = createDownloadLinks({ secrets: [secret], ttlSeconds: 60, now });
    const { expires, signature } = partsOf(links.linkTo(id).url);
    time.now = start + 59_999;
    expect(codeOf(() => links.verify(id, expires, signature))).toBeUndefined();
    time.now = start + 60_000;
    expect(codeOf(() => links.verify(id, expires, signature))).toBe('EXECUTOR_LINK_EXPIRED');
  });

  it('fail with EXECUTOR_LINK_INVALID when any character of the signature is changed', () => {
    const links = createDownloadLinks({ secrets: [secret], ttlSeconds: 60 });
    const { expires, signature = '' } = partsOf(links.linkTo(id).url);
    for (let index = 0; index < signature.length; index += 1) {
      const replacement = signature[index] === 'A' ? 'B' : 'A';
      const altered = `${signature.slice(0, index)}${replacement}${signature.slice(index + 1)}`;
      expect(
        codeOf(() => links.verify(id, expires, altered)),
        `character ${index}`,
      ).toBe('EXECUTOR_LINK_INVALID');
    }
  });

  it('fail with EXECUTOR_LINK_INVALID for another job, a later expiry, or parts missing', () => {
    const links = createDownloadLinks({ secrets: [secret], ttlSeconds: 60 });
    const { expires = '', signature } = partsOf(links.linkTo(id).url);
    const otherId = id.replace(/0$/, '1');
    expect(codeOf(() => links.verify(otherId, expires, signature))).toBe('EXECUTOR_LINK_INVALID');
    expect(codeOf(() => links.verify(id, String(Number(expires) + 3600), signature))).toBe(
      'EXECUTOR_LINK_INVALID',
    );
    expect(codeOf(() => links.verify(id, undefined, signature))).toBe('EXECUTOR_LINK_INVALID');
    expect(codeOf(() => links.verify(id, expires, undefined))).toBe('EXECUTOR_LINK_INVALID');
    expect(codeOf(() => links.verify(id, `${expires}.5`, signature))).toBe('EXECUTOR_LINK_INVALID');
    expect(codeOf(() => links.verify(id, expires, `${signature}=`))).toBe('EXECUTOR_LINK_INVALID');
  });

  it('refuse an expired link signed under another secret as invalid, not expired', () => {
    const { now } = clock(start);
    const links = createDownloadLinks({ secrets: [secret], ttlSeconds: 60, now });
    const past = start / 1000 - 10;
    expect(
      codeOf(() => links.verify(id, String(past), signDownloadLink(oldSecret, id, past))),
    ).toBe('EXECUTOR_LINK_INVALID');
    expect(codeOf(() => links.verify(id, String(past), signDownloadLink(secret, id, past)))).toBe(
      'EXECUTOR_LINK_EXPIRED',
    );
  });

  it('are signed with the first secret and verified with every one, so a secret can be rotated', () => {
    const before = createDownloadLinks({ secrets: [oldSecret], ttlSeconds: 60 });
    const during = createDownloadLinks({ secrets: [secret, oldSecret], ttlSeconds: 60 });
    const after = createDownloadLinks({ secrets: [secret], ttlSeconds: 60 });
    const old = partsOf(before.linkTo(id).url);
    const fresh = partsOf(during.linkTo(id).url);
    expect(codeOf(() => during.verify(id, old.expires, old.signature))).toBeUndefined();
    expect(codeOf(() => after.verify(id, fresh.expires, fresh.signature))).toBeUndefined();
    expect(codeOf(() => after.verify(id, old.expires, old.signature))).toBe(
      'EXECUTOR_LINK_INVALID',
    );
  });
});
