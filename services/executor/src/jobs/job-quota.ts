import { JobQuotaError } from '../errors.js';
import { jobUserOf } from './job-export-request.js';
import type { JobRecord } from './job-record.js';

/**
 * Whose quota a job counts against: the token's user, or with auth off the `user` the body
 * names (the limiter's key too); '' for anonymous jobs, which then share one quota.
 */
export function quotaUserOf(job: Pick<JobRecord, 'owner' | 'options'>): string {
  return jobUserOf(job) ?? '';
}

// Room comes back when the user deletes a finished job or it expires: a minute is a fair wait.
const quotaRetryAfterSeconds = 60;

export function jobQuotaError(maxJobsPerUser: number): Error {
  return Object.assign(new JobQuotaError(maxJobsPerUser), {
    retryAfterSeconds: quotaRetryAfterSeconds,
  });
}
