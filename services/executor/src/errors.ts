import createError from '@fastify/error';

/**
 * Every error the executor itself raises, with its HTTP status; library errors keep their own
 * codes (EXPORT_…, LIMITER_…) and get a status in error-response.ts. Listed in docs/api.md.
 */
export const InvalidConfigError = createError<[string]>('EXECUTOR_INVALID_CONFIG', '%s', 500);
/** An export plugin option it cannot use: registering the plugin fails with it. */
export const InvalidPluginOptionError = createError<[string]>('EXECUTOR_INVALID_OPTION', '%s', 500);
export const InvalidRequestError = createError<[string]>('EXECUTOR_INVALID_REQUEST', '%s', 400);
export const InvalidJsonError = createError<[string]>('EXECUTOR_INVALID_JSON', '%s', 400);
/** A body declared in another charset than UTF-8: read as UTF-8, its text would be changed. */
export const UnsupportedCharsetError = createError<[string]>(
  'EXECUTOR_UNSUPPORTED_CHARSET',
  'the body is declared as charset %s; request bodies must be UTF-8 (charset=utf-8, or no charset)',
  415,
);
export const UnauthorizedError = createError(
  'EXECUTOR_UNAUTHORIZED',
  'a valid `Authorization: Bearer <token>` header is required',
  401,
);
export const DrainingError = createError(
  'EXECUTOR_DRAINING',
  'the executor is shutting down and accepts no new exports; retry on another instance',
  503,
);
export const TooManyRowsError = createError<[number]>(
  'EXECUTOR_TOO_MANY_ROWS',
  'the export has more than %d rows (EXPORT_MAX_ROWS); nothing was kept',
  413,
);
/** export-core's code, with the setting to change named: the export, not the service, was too big. */
export const WorkerOutOfMemoryError = createError<[number]>(
  'EXPORT_WORKER_OUT_OF_MEMORY',
  'the export needed more memory than a worker thread may use (%d MB, EXPORT_WORKER_MAX_MB) and was stopped; nothing was kept',
  413,
);
export const RecordTooLargeError = createError<[number, number]>(
  'EXECUTOR_RECORD_TOO_LARGE',
  'body/data/%d is longer than %d bytes, the most one record may have (as one NDJSON line)',
  413,
);
export const ExportTimeoutError = createError<[number]>(
  'EXECUTOR_EXPORT_TIMEOUT',
  'the export took longer than %d seconds (EXPORT_JOB_TIMEOUT_S) and was stopped',
  504,
);
export const RequestTimeoutError = createError<[number]>(
  'EXECUTOR_REQUEST_TIMEOUT',
  'the request was not received in full within %d seconds (EXPORT_REQUEST_TIMEOUT_S)',
  408,
);
/** A trickling /export/stream upload would hold its export slot for as long as it likes. */
export const UploadTooSlowError = createError<[number, number]>(
  'EXECUTOR_UPLOAD_TOO_SLOW',
  'the upload arrived slower than %d bytes a second (EXPORT_MIN_UPLOAD_BYTES_PER_S) while its export held a slot, past the first %d seconds (EXPORT_MIN_UPLOAD_GRACE_S); the export was stopped and nothing was kept. Send faster, or submit an export job',
  408,
);
export const HeadersTooLargeError = createError(
  'EXECUTOR_HEADERS_TOO_LARGE',
  'the request headers are larger than the executor accepts',
  431,
);
export const NotFoundError = createError<[string, string]>(
  'EXECUTOR_NOT_FOUND',
  'no route %s %s',
  404,
);
export const JobNotFoundError = createError<[string]>(
  'EXECUTOR_JOB_NOT_FOUND',
  'no export job %s',
  404,
);
export const JobNotReadyError = createError<[string, string]>(
  'EXECUTOR_JOB_NOT_READY',
  'export job %s is %s; its file can be downloaded once its status is done',
  409,
);
export const RangeNotSatisfiableError = createError<[string, number]>(
  'EXECUTOR_RANGE_NOT_SATISFIABLE',
  'the range %s is outside the file, which has %d bytes',
  416,
);
export const PreconditionFailedError = createError<[string]>(
  'EXECUTOR_PRECONDITION_FAILED',
  'If-Match %s does not match the file, whose ETag has changed or never matched',
  412,
);
export const UnsupportedContentEncodingError = createError<[string]>(
  'EXECUTOR_UNSUPPORTED_CONTENT_ENCODING',
  'the body is sent with Content-Encoding %s; bodies must not be encoded (identity)',
  415,
);
export const ExpectationFailedError = createError<[string]>(
  'EXECUTOR_EXPECTATION_FAILED',
  'Expect %s is not supported; only 100-continue is',
  417,
);
/** Job lookups wait for the boot's recovery, which runs after the server listens. */
export const RecoveringError = createError<[string]>(
  'EXECUTOR_RECOVERING',
  'the executor is still recovering its stored export jobs (%s); retry shortly',
  503,
);
export const RecoveryFailedError = createError<[string]>(
  'EXECUTOR_RECOVERY_FAILED',
  'the stored export jobs could not be recovered (%s); the error is logged',
  503,
);
/** Jobs a user keeps (any status) are capped, so one client cannot fill the disk or the boot. */
export const JobQuotaError = createError<[number]>(
  'EXECUTOR_JOB_QUOTA_EXCEEDED',
  'you already keep %d export jobs, the most one user may (EXPORT_MAX_JOBS_PER_USER); delete finished ones or wait for them to expire',
  429,
);
/** A job's error, never an HTTP answer: the process stopped while the job ran. */
export const InterruptedError = createError(
  'EXECUTOR_INTERRUPTED',
  'the executor stopped while this job ran; submit it again',
  500,
);
/** A job's error: its finished file is missing or does not match its manifest. */
export const ArtifactLostError = createError(
  'EXECUTOR_ARTIFACT_LOST',
  'the finished file of this job is missing or damaged; submit it again',
  500,
);
/** The store kept other bytes than the export wrote: the file is not kept. */
export const ArtifactSizeMismatchError = createError<[number, number]>(
  'EXECUTOR_ARTIFACT_SIZE_MISMATCH',
  'the store kept %d bytes of a file of %d bytes; nothing was kept',
  500,
);
/** The store cannot be reached now (S3 down, a network fault): retry shortly. */
export const StoreUnavailableError = createError<[string]>(
  'EXECUTOR_STORE_UNAVAILABLE',
  'the artifact store is unreachable: %s; retry shortly',
  503,
);
/** The store as configured cannot work (no such bucket, access denied): found at boot. */
export const StoreMisconfiguredError = createError<[string]>(
  'EXECUTOR_STORE_MISCONFIGURED',
  '%s',
  500,
);
/** An object the executor wrote is gone (deleted behind its back, or swept). */
export const StoreObjectMissingError = createError<[string]>(
  'EXECUTOR_STORE_OBJECT_MISSING',
  'the stored object %s is missing',
  404,
);
/** The cluster's Redis cannot be reached: nothing that needs the shared queue can be done now. */
export const ClusterUnavailableError = createError<[string]>(
  'EXECUTOR_CLUSTER_UNAVAILABLE',
  'the cluster queue (Redis) is unreachable: %s; retry shortly',
  503,
);
/** A signed download link whose signature does not verify: altered, cut, or signed elsewhere. */
export const LinkInvalidError = createError<[string]>(
  'EXECUTOR_LINK_INVALID',
  'this download link is not valid: %s',
  403,
);
/** A signed download link past its expiry: a fresh job view carries a fresh one. */
export const LinkExpiredError = createError<[string]>(
  'EXECUTOR_LINK_EXPIRED',
  'this download link expired at %s; GET the job again for a fresh one',
  403,
);
