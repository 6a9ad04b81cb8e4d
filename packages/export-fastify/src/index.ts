export { abortOnClientGone } from './abort-on-client-gone.js';
export { attachmentDisposition } from './attachment-disposition.js';
export {
  ClientGoneError,
  type ExportFastifyErrorCode,
  ExportFastifyOptionError,
  exportFastifyErrorCodes,
  NotNdjsonUploadError,
} from './errors.js';
export { exportContentTypes } from './export-content-types.js';
export { fastifyExport } from './fastify-export.js';
export {
  exportErrorStatuses,
  httpStatusOfExportError,
  retryAfterSecondsOf,
} from './http-status-of-export-error.js';
export { isNdjsonUpload, ndjsonContentType, ndjsonUploadOf } from './ndjson-upload.js';
export {
  type FastifyExportOptions,
  fastifyExportDefaults,
  type NdjsonRecordsOptions,
  type NormalizedFastifyExportOptions,
  normalizePluginOptions,
} from './normalize-plugin-options.js';
export type {
  ExportRunContext,
  ReplyExportOptions,
  ReplyExportRunOptions,
  ReplyExportSourceOptions,
} from './normalize-reply-export-options.js';
export { asciiFallbackOf, maxFilenameLength, sanitizeFilename } from './safe-filename.js';
