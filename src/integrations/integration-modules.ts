import type { DynamicModule, Type } from '@nestjs/common';
import type { AppRole } from '../config/env';
import { KommoModule } from './kommo/kommo.module';
import { SlackModule } from './slack/slack.module';
import { TelegramModule } from './telegram/telegram.module';
import { WhatsappModule } from './whatsapp/whatsapp.module';
import { YclientsModule } from './yclients/yclients.module';

/**
 * The Nest modules of the providers that have routes or services of their own (the others take
 * `/api/v1/ingest/{source_id}` only), for `AppModule` to import right after `WebhooksModule`, in
 * this order (the order of their routes in the OpenAPI document). What the ingest pipeline needs
 * of every provider is its definition, listed in providers.ts.
 */
export function integrationModules(role: AppRole): (Type | DynamicModule)[] {
  return [KommoModule, YclientsModule.register(role), SlackModule, TelegramModule, WhatsappModule];
}
