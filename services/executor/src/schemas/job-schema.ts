import Type, { type Static } from 'typebox';
import type { JobSnapshot } from '../jobs/job-queue.js';
import { jobStatuses } from '../jobs/job-record.js';
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

export function jobView(job: JobSnapshot): JobView {
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
  };
}
