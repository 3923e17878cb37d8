import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrors, ErrorEnvelopeDto } from '../common/swagger';

/** The rule of the shared provider routes (shared-route.ts), for their OpenAPI descriptions. */
export const SHARED_ROUTE_RULE =
  'This URL is shared by every tenant. The request goes to the first source, oldest first, among the active ' +
  'sources of any tenant that match it, whose own verification it passes (each tenant keeps its own token or ' +
  'secret, so several tenants of one account work side by side). Sources with verification `none` are never ' +
  'taken here (they are reachable only at /api/v1/ingest/{source_id}).';

/** The error answers of a shared provider route, 401 and 429 described by the rule. */
export function ApiSharedRouteErrors(): MethodDecorator {
  return applyDecorators(
    ApiErrors(400, 403, 404, 413, 415, 503),
    ApiResponse({
      status: 401,
      type: ErrorEnvelopeDto,
      description: 'INVALID_SIGNATURE: no matching source verified the token or signature; nothing is stored',
    }),
    ApiResponse({
      status: 429,
      type: ErrorEnvelopeDto,
      description:
        'RATE_LIMITED, with Retry-After: over the source’s rate_limit_per_second, or the matching sources took ' +
        'VERIFY_FAILURE_LIMIT failed verifications this minute (then every request, even a correctly signed one, ' +
        'is refused until the minute is over)',
    }),
  );
}
