export { LimiterError, type LimiterErrorCode, limiterErrorCodes } from './errors.js';
export {
  type LimiterOptions,
  limiterDefaults,
  type NormalizedLimiterOptions,
  normalizeLimiterOptions,
} from './normalize-limiter-options.js';
