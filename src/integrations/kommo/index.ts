import type { Source } from '../../webhooks/source.entity';
import type { Integration } from '../provider';
import { KOMMO_WEBHOOK_PATH, KommoController } from './kommo.controller';
import { KommoNormalizer } from './kommo.normalizer';
import { KommoSourceResolver } from './kommo.source-resolver';
import { text } from './kommo.fields';

/**
 * Where a Kommo source is told to post: the provider route when the source names its account
 * (`config.account_id` / `config.subdomain`), which is how that route finds it; otherwise, for
 * Chats API sources (`kommo-chats`, whose hooks name no CRM account), and for a source left with
 * verification `none` (which the shared route never takes), `/api/v1/ingest/{source_id}`.
 */
export function kommoIngestPath(source: Source): string {
  const namesAccount = text(source.config.account_id) !== null || text(source.config.subdomain) !== null;
  const viaRoute = namesAccount && source.scheme !== 'kommo-chats' && source.scheme !== 'none';
  return viaRoute ? KOMMO_WEBHOOK_PATH : `/api/v1/ingest/${source.id}`;
}

/** Kommo / amoCRM: CRM webhooks (form bodies) and Chats API hooks (JSON), POST /api/v1/integrations/kommo/webhook. */
export const integration: Integration = {
  provider: 'kommo',
  normalizer: new KommoNormalizer(),
  controllers: [KommoController],
  ingestPath: kommoIngestPath,
  sharedRoute: KOMMO_WEBHOOK_PATH,
  providers: [{ provide: KommoSourceResolver }],
};
