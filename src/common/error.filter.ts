import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, ErrorCode } from './api-error';
import { isDatabaseUnavailable, isUnstorableValue } from '../database/db-errors';
import { errorBody, sendError } from './envelope';
import { traceIdOf } from './request-id';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors raised by Express' body parsers carry a `type` and a `status`. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string';
}

/** An http-errors client error (what Express middleware raise for bad input): a 4xx status it means to show. */
function isClientHttpError(error: unknown): error is { status: number } {
  if (typeof error !== 'object' || error === null || error instanceof HttpException) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/** Translates anything thrown while handling a request into an ApiError; `undefined` for unknown errors. */
export function toApiError(error: unknown, req?: Request): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (isDatabaseUnavailable(error)) {
    return new ApiError('SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly.', [], {
      'Retry-After': '5',
    });
  }
  if (isUnstorableValue(error)) {
    return ApiError.validation('The request holds characters that cannot be stored (NUL or invalid Unicode).', [
      { field: 'body', message: 'text must not contain NUL characters or unpaired surrogates' },
    ]);
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return new ApiError('INVALID_JSON', 'The request body is not valid JSON.');
      case 'entity.too.large':
        return new ApiError('PAYLOAD_TOO_LARGE', `The request body is larger than ${error.limit ?? 'allowed'} bytes.`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'The request body uses an unsupported charset or encoding.');
      case 'request.aborted':
      case 'request.size.invalid':
        return new ApiError('BAD_REQUEST', 'The request body was incomplete.');
      case 'parameters.too.many':
        return new ApiError('PAYLOAD_TOO_LARGE', 'The request body has too many parameters.');
      default:
        break;
    }
  }
  if (isClientHttpError(error)) {
    // another middleware's client error (http-errors, e.g. a body the queue dashboard's parser refused)
    return new ApiError(CODE_BY_STATUS[error.status] ?? 'BAD_REQUEST', 'The request could not be read.');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404 && req && !(error.getResponse() as { code?: string }).code) {
      return new ApiError('NOT_FOUND', `No route ${req.method} ${req.path}.`);
    }
    const code = CODE_BY_STATUS[status];
    if (code) {
      const response = error.getResponse();
      const message = typeof response === 'string' ? response : error.message;
      return new ApiError(code, message.endsWith('.') ? message : `${message}.`);
    }
  }
  return undefined;
}

/** The logger context of unhandled errors, also used by handlers that answer outside Nest's router. */
export const ERROR_FILTER_CONTEXT = 'ErrorFilter';

/** The one place where errors become the contract's envelope; unknown errors are logged and answered INTERNAL. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ERROR_FILTER_CONTEXT);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    respondWithError(exception, req, res, this.logger);
  }
}

/** Answers `exception` in the error envelope (used by ErrorFilter and by middleware outside Nest's router). */
export function respondWithError(exception: unknown, req: Request, res: Response, logger: Logger): void {
  const traceId = traceIdOf(req);
  const apiError = toApiError(exception, req);
  if (apiError) {
    sendError(
      res,
      apiError.getStatus(),
      errorBody(apiError.code, apiError.message, apiError.details, traceId),
      apiError.headers,
    );
    return;
  }
  logger.error({ err: exception, trace_id: traceId }, 'unhandled error');
  sendError(res, 500, errorBody('INTERNAL', 'Something went wrong on our side; quote the trace id.', [], traceId));
}
