import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { AppConfig } from '../config/env';
import { InjectConfig } from '../config/config.module';
import { ApiError } from '../common/api-error';
import { safeEqual } from '../common/crypto';
import { ErrorEnvelopeDto } from '../common/swagger';
import { TenantPrincipal, TenantsService } from './tenants.service';

/** The key a client presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
}

const UNAUTHORIZED_MESSAGE = 'Missing or invalid API key: send Authorization: Bearer <api_key> or X-API-Key.';

/** Passport strategy `api-key`: resolves a tenant's key to its principal. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly tenants: TenantsService) {
    super();
  }

  async validate(req: Request): Promise<TenantPrincipal> {
    const key = presentedKey(req);
    const principal = key ? await this.tenants.authenticate(key) : null;
    if (!principal) throw new ApiError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    return principal;
  }
}

/** Passport strategy `admin-key`: the operator's `ADMIN_API_KEY`, compared in constant time. */
@Injectable()
export class AdminKeyStrategy extends PassportStrategy(Strategy, 'admin-key') {
  constructor(@InjectConfig() private readonly config: AppConfig) {
    super();
  }

  validate(req: Request): { admin: true } {
    const expected = this.config.adminApiKey;
    if (!expected) throw new ApiError('FORBIDDEN', 'The admin API is disabled: set ADMIN_API_KEY to enable it.');
    const key = presentedKey(req);
    if (!key || !safeEqual(key, expected)) {
      throw new ApiError('UNAUTHORIZED', 'Missing or invalid admin key: send Authorization: Bearer <ADMIN_API_KEY>.');
    }
    return { admin: true };
  }
}

/** Guards a route with a tenant's API key and documents it. */
export const TenantAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(AuthGuard('api-key')),
    ApiBearerAuth('api_key'),
    ApiSecurity('x_api_key'),
    ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: missing or invalid API key', type: ErrorEnvelopeDto }),
  );

/** Guards a route with the operator's `ADMIN_API_KEY` and documents it. */
export const AdminAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(AuthGuard('admin-key')),
    ApiBearerAuth('admin_key'),
    ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: missing or invalid admin key', type: ErrorEnvelopeDto }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: ADMIN_API_KEY is not set', type: ErrorEnvelopeDto }),
  );

/** The calling tenant's principal, set by the `api-key` strategy. */
export const Principal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantPrincipal =>
    context.switchToHttp().getRequest<Request & { user: TenantPrincipal }>().user,
);
