import type { Errors } from './types.js';

/**
 * Why a call failed: FusionAuth answered with an error status, it did not answer in time, the connection failed,
 * or it answered something that is not what its API promises.
 */
export type FusionAuthFailure = 'status' | 'timeout' | 'network' | 'malformed';

/** The one error the FusionAuth client throws. `status` is 0 when there was no HTTP answer. */
export class FusionAuthError extends Error {
  override readonly name = 'FusionAuthError';
  constructor(
    readonly status: number,
    /** FusionAuth's error body as it came (Errors JSON, an OAuth error, or undefined for an empty body). */
    readonly body: unknown,
    message: string,
    readonly failure: FusionAuthFailure = 'status',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The body as FusionAuth's Errors object, when it is one. */
  get errors(): Errors | undefined {
    const b = this.body as Errors | undefined;
    return b && typeof b === 'object' && (Array.isArray(b.generalErrors) || (typeof b.fieldErrors === 'object' && b.fieldErrors !== null)) ? b : undefined;
  }
}

/**
 * A refused refresh: FusionAuth answers a dead token with 400 (`[invalid]refreshToken`), older builds and the
 * workflow articles with 404, some docs with 401. All three mean the same to a backend: log in again.
 */
export function isRefreshFailure(err: unknown): err is FusionAuthError {
  return err instanceof FusionAuthError && err.failure === 'status' && (err.status === 400 || err.status === 401 || err.status === 404);
}
