import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { map, Observable } from 'rxjs';
import { successBody } from './envelope';
import { traceIdOf } from './request-id';

const RAW_RESPONSE = 'hookhub:raw-response';

/** Marks a handler or controller whose answer is sent as is (health, metrics, provider handshakes). */
export const RawResponse = (): MethodDecorator & ClassDecorator => SetMetadata(RAW_RESPONSE, true);

/** Wraps every answer in the contract's success envelope `{data, meta: {trace_id}}`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [context.getHandler(), context.getClass()]);
    if (raw) return next.handle();
    const traceId = traceIdOf(context.switchToHttp().getRequest<Request>());
    return next.handle().pipe(map((data) => successBody(data, traceId)));
  }
}
