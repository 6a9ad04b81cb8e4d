import Type, { type Static } from 'typebox';
import type { JobSnapshot } from '../jobs/job-queue.js';
import { jobStatuses } from '../jobs/job-record.js';
import type { DownloadLinks } from '../links/download-links.js';
import { DroppedFieldsSchema, TruncatedCellsSchema } from './export-losses-schema.js';
import { FormatSchema } from './export-request-schema.js';

const Nullable = <Schema extends Parameters<typeof Type.Union>[0][number]>(schema: Schema) =>
  Type.Union([schema, Type.Null()]);

export const JobStatusSchema = Type.Enum([...jobStatuses], {
  description: jobStatuses.join(', '),
});

export const JobLinksSchema = Type.Object({
  self: Type.String(),
  download: Type.String(),
});

/** One job as every jobs route shows it. */
export const JobSchema = Type.Object({
  id: Type.String(),
  format: FormatSchema,
  status: JobStatusSchema,
  rows: Nullable(Type.Integer({ description: 'rows in the finished file' })),
  bytes: Nullable(Type.Integer({ description: 'size of the finished file' })),
  sha256: Nullable(Type.String({ description: 'hex SHA-256 of the finished file; its ETag' })),
  progress: Type.Object({
    rows: Type.Integer({ description: 'rows read into the export so far' }),
    totalRows: Type.Integer({ description: 'rows in the submitted input' }),
  }),
  columns: Type.Array(Type.String()),
  createdAt: Type.String({ description: 'ISO 8601' }),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer({ description: 'from start to finish' })),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  droppedFields: Nullable(DroppedFieldsSchema),
  truncatedCells: Nullable(TruncatedCellsSchema),
  links: JobLinksSchema,
  callbackUrl: Nullable(
    Type.String({ description: 'given at submission: POSTed the job once it ends' }),
  ),
  downloadUrl: Nullable(
    Type.String({
      description:
        'once done, a link to the file that needs no Authorization header, valid until downloadUrlExpiresAt (EXPORT_LINK_TTL_S); a fresh one with every view. Always null when the executor has no EXPORT_LINK_SECRET: then download with a token from links.download',
    }),
  ),
  downloadUrlExpiresAt: Nullable(Type.String({ description: 'ISO 8601' })),
});

/** A job as the routes answer with it. */
export type JobView = Static<typeof JobSchema>;

export const JobListSchema = Type.Object({
  jobs: Type.Array(JobSchema),
  nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page' })),
});

export const JobParamsSchema = Type.Object({ id: Type.String({ maxLength: 200 }) });

export function jobLinks(id: string) {
  const self = `/export/jobs/${id}`;
  return { self, download: `${self}/download` };
}

/** `links` signs a done job's downloadUrl; without it, there is none. */
export function jobView(job: JobSnapshot, links?: DownloadLinks): JobView {
  const started = job.startedAt === null ? undefined : Date.parse(job.startedAt);
  const finished = job.finishedAt === null ? undefined : Date.parse(job.finishedAt);
  return {
    id: job.id,
    format: job.format,
    status: job.status,
    rows: job.rows,
    bytes: job.bytes,
    sha256: job.sha256,
    progress: { rows: job.progressRows, totalRows: job.totalRows },
    columns: job.columns,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationMs:
      started !== undefined && finished !== undefined ? Math.max(0, finished - started) : null,
    error: job.error,
    // Known once done; null before, and for jobs finished before they were counted.
    droppedFields: job.droppedFields ?? null,
    truncatedCells: job.truncatedCells ?? null,
    links: jobLinks(job.id),
    callbackUrl: job.callbackUrl ?? null,
    ...downloadUrlOf(job, links),
  };
}

function downloadUrlOf(
  job: JobSnapshot,
  links: DownloadLinks | undefined,
): Pick<JobView, 'downloadUrl' | 'downloadUrlExpiresAt'> {
  if (job.status !== 'done' || links === undefined) {
    return { downloadUrl: null, downloadUrlExpiresAt: null };
  }
  const link = links.linkTo(job.id);
  return { downloadUrl: link.url, downloadUrlExpiresAt: link.expiresAt };
}
