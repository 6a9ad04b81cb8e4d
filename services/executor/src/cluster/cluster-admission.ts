import { rm } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { type AcceptSubmissionSettings, acceptSubmission } from '../jobs/accept-submission.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterSlots } from './cluster-slots.js';
import type { ClusterJobData } from './process-cluster-job.js';

export interface ClusterAdmissionOptions extends AcceptSubmissionSettings {
  queue: Queue<ClusterJobData>;
  records: ClusterJobRecords;
  slots: ClusterSlots;
  /** How long BullMQ keeps a failed job: the jobs' retention. */
  retentionMs: number;
}

/**
 * Submissions to the cluster: refused while its queue is full, held to the user's quota (counted
 * in Redis), then admitted atomically against the cluster's queue and added to BullMQ.
 */
export function clusterAdmission(options: ClusterAdmissionOptions): JobQueue['enqueue'] {
  const { queue, records, slots, files, maxJobsPerUser, retentionMs } = options;

  async function admit(record: JobRecord) {
    const { id } = record;
    let admission: { settle: () => Promise<void> } | undefined;
    try {
      admission = await slots.admit(id);
      // The record first: a replica that takes the job at once must find it.
      await records.save(record);
      await queue.add(
        'export',
        { id },
        {
          jobId: id,
          // Only when its record could not be written (Redis lost): runs again from the start.
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: { age: Math.ceil(retentionMs / 1000) },
        },
      );
      return { ...record, progressRows: 0 };
    } catch (error) {
      await records.remove(record).catch(() => {});
      await rm(files.folder(id), { recursive: true, force: true });
      throw error;
    } finally {
      await admission?.settle().catch(() => {});
    }
  }

  return (submission) =>
    acceptSubmission(submission, options, {
      refusal: () => slots.refusal(),
      // Not atomic with the save: submissions in flight at once may pass it together.
      reserveQuota: async (user) =>
        (await records.countKeptBy(user)) >= maxJobsPerUser ? undefined : () => {},
      admit,
    });
}
