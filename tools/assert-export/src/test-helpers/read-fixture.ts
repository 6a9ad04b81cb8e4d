import { readFileSync } from 'node:fs';

export const fixtureNames = [
  'healthy',
  'slow-p95',
  'low-success',
  'running-over-limit',
  'queue-over-capacity',
  'zero-bytes',
  'missing-family',
  'no-exports',
] as const;

export type FixtureName = (typeof fixtureNames)[number];

/** A canned exposition from test/fixtures; `healthy` is a real executor scrape, edited. */
export function readFixture(name: FixtureName): string {
  return readFileSync(new URL(`../../test/fixtures/${name}.prom`, import.meta.url), 'utf8');
}
