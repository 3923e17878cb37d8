import { HttpException } from '@nestjs/common';

/** Every error code of the contract (docs/api.md) and its HTTP status. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Well-formed, but Hookhub cannot carry it out (a template too costly to render). */
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  /** The field (dotted path) or header the problem is about. */
  field?: string;
  message: string;
  [key: string]: unknown;
}

/** An error answered to the client as the contract's envelope: `{error: {code, message, details}}`. */
export class ApiError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra response headers, e.g. `Retry-After` on RATE_LIMITED. */
    readonly headers: Record<string, string> = {},
  ) {
    super({ code, message, details }, ERROR_CODES[code]);
  }

  static notFound(what: string, id?: string): ApiError {
    return new ApiError('NOT_FOUND', id ? `${what} ${id} was not found.` : `${what} was not found.`);
  }

  static validation(message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError('VALIDATION_FAILED', message, details);
  }
}
