export {
  createLimiter,
  type Limiter,
  type LimiterStats,
  type LimiterTask,
} from './create-limiter.js';
export {
  LimiterAbortError,
  LimiterClosedError,
  LimiterError,
  type LimiterErrorCode,
  LimiterKeyQueueFullError,
  type LimiterKeyQueueFullErrorDetails,
  LimiterQueueFullError,
  type LimiterQueueFullErrorDetails,
  LimiterQueueTimeoutError,
  limiterErrorCodes,
} from './errors.js';
export {
  type LimiterEventBase,
  type LimiterEventMap,
  type LimiterEventName,
  type LimiterListener,
  type LimiterOutcome,
  type LimiterQueuedEvent,
  type LimiterRejectedEvent,
  type LimiterRejectionReason,
  type LimiterSettledEvent,
  type LimiterStartedEvent,
  limiterEventNames,
} from './limiter-events.js';
export type { CloseOptions } from './normalize-close-options.js';
export {
  type LimiterOptions,
  limiterDefaults,
  type NormalizedLimiterOptions,
  normalizeLimiterOptions,
} from './normalize-limiter-options.js';
export type { RunOptions } from './normalize-run-options.js';
export {
  estimateRetryAfterSeconds,
  maxRetryAfterSeconds,
  type RetryAfterInput,
} from './retry-after.js';
