import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getJob, submitNdjsonJob, waitUntilJobSettles } from '../real-server/job-client.js';
import { startExecutor } from '../real-server/spawn-executor.js';
import { metricSum } from './faults-metrics.js';

// Finding: with EXPORT_DIR on a nearly full disk, the API showed a job failed
// (EXPORT_WRITE_FAILED) while its job.json still said queued or running and its input was still
// there; after a restart it ran again. Here the folder is a small tmpfs filled to within a few
// KiB of full, for a range of sizes around the one where the export fits but its manifest or
// record does not: whatever the API showed, a restart shows the same, and nothing runs again.
const isRoot = process.getuid?.() === 0;
const rows = 150;
const freeKib = [36, 40, 42, 44, 46, 48, 52];
const mounted: string[] = [];

afterEach(() => {
  for (const folder of mounted.splice(0)) {
    execFileSync('umount', [folder]);
    rmSync(folder, { recursive: true, force: true });
  }
});

/** A 512 KiB tmpfs with `kib` KiB left free. */
function nearlyFullFolder(kib: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'executor-full-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', folder]);
  mounted.push(folder);
  const { bavail, bsize } = statfsSync(folder);
  writeFileSync(join(folder, 'filler'), Buffer.alloc(bavail * bsize - kib * 1024));
  return folder;
}

const shown = (job: { status: string; error: { code: string } | null }) => ({
  status: job.status,
  code: job.error?.code ?? null,
});

describe.runIf(isRoot)('jobs on a nearly full disk (tmpfs, needs root)', () => {
  it.each(freeKib)(
    'with %i KiB free: the job a restart shows is the job the API showed, and it never runs again',
    async (kib) => {
      const exportDirectory = nearlyFullFolder(kib);
      const first = await startExecutor({}, { exportDirectory });
      // The spool may not fit either: then the job was never accepted, and that is all.
      const accepted = await submitNdjsonJob(first.url, 'format=pdf', rows).catch(() => undefined);
      if (accepted === undefined) return;
      const before = await waitUntilJobSettles(first.url, accepted.id, { timeoutMs: 30_000 });
      await first.stop();

      const second = await startExecutor({}, { exportDirectory });
      const after = await getJob(second.url, accepted.id);

      expect(shown(after)).toEqual(shown(before));
      expect(after.startedAt).toBe(before.startedAt);
      await second.stop();
    },
  );

  // Finding: a submission that failed while its upload was saved (a 500 from ENOSPC) appeared
  // in no export_* series, so no alert saw the full disk.
  it('answers an upload that does not fit 500, keeps nothing of it, and counts it as reason="disk"', async () => {
    const exportDirectory = nearlyFullFolder(8);
    const { url } = await startExecutor({}, { exportDirectory });

    await expect(submitNdjsonJob(url, 'format=pdf', rows)).rejects.toThrow(/answered 500/);

    expect(readdirSync(join(exportDirectory, 'jobs'))).toEqual([]);
    expect(await metricSum(url, 'export_fail_total', { format: 'pdf', reason: 'disk' })).toBe(1);
    expect(await metricSum(url, 'export_requests_total', { outcome: 'failure' })).toBe(1);
  });
});
