import { ingestPathOf } from '../integrations/providers';
import { SourceDto } from './dto/source.dto';
import { Source } from './source.entity';

/** The URL a provider posts to: its provider route or the generic ingest route, with `?token=` for url-token. */
export function ingestUrl(baseUrl: string, source: Source, secret: string | null): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${ingestPathOf(source)}`); // keeps a path prefix of PUBLIC_URL
  if (source.scheme === 'url-token' && secret) url.searchParams.set('token', secret);
  return url.toString();
}

export function mapSource(source: Source, baseUrl: string, secret: string | null): SourceDto {
  return {
    source_id: source.id,
    name: source.name,
    provider: source.provider,
    verification: { scheme: source.scheme, header: source.header, tolerance_s: source.toleranceS },
    config: source.config,
    active: source.active,
    ingest_url: ingestUrl(baseUrl, source, secret),
    last_error: source.lastError,
    last_error_at: source.lastErrorAt?.toISOString() ?? null,
    created_at: source.createdAt.toISOString(),
    updated_at: source.updatedAt.toISOString(),
  };
}
