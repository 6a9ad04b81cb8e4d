/**
 * The wait after failed attempt `attempt` (1-based): `firstRetryMs` doubled for each attempt
 * before it, times a random factor in [0.8, 1.2) so that receivers that failed together are not
 * retried together. With the defaults (30 s, 8 attempts) the seven waits add up to about an
 * hour (30 s + 1 min + … + 32 min = 63.5 min).
 */
export function webhookRetryDelayMs(
  attempt: number,
  firstRetryMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(firstRetryMs * 2 ** (attempt - 1) * (0.8 + 0.4 * random()));
}
