import { HttpException, HttpStatus } from '@nestjs/common';

export const ERROR_CODES = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  INVALID_JSON: HttpStatus.BAD_REQUEST,
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  INVALID_SIGNATURE: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  METHOD_NOT_ALLOWED: HttpStatus.METHOD_NOT_ALLOWED,
  CONFLICT: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
} as const;

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
