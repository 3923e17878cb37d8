import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { successBody } from '../../common/envelope';
import { acceptedAnswer, IngestRequest, IngestService } from '../../webhooks/ingest.service';
import { bodyKindOf } from '../../webhooks/payload';
import type { ConfigMatch, SharedCandidates } from '../../webhooks/shared-route';
import type { Source } from '../../webhooks/source.entity';

type Json = Record<string, unknown>;

const objectOf = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** What the Slack route answers: a status and a body sent as is (the route is not wrapped in the envelope). */
export interface SlackAnswer {
  status: number;
  body: unknown;
}

/** The ids a Slack request names its app and workspace by: top level, or inside an interaction's `payload=`. */
function routingIds(body: Json): { appId: string | null; teamId: string | null } {
  let payload: Json | null = null;
  if (typeof body.payload === 'string') {
    try {
      payload = objectOf(JSON.parse(body.payload));
    } catch {
      payload = null;
    }
  }
  return {
    appId: str(body.api_app_id) ?? str(payload?.api_app_id),
    teamId: str(body.team_id) ?? str(objectOf(payload?.team)?.id),
  };
}

/**
 * The Slack route (docs/api.md): finds the source (`?source_id=` of the ingest_url, else the sources whose
 * `config.api_app_id` or `config.team_id` matches, in any tenant: the first whose signing secret verifies the
 * request takes it), answers `url_verification` with its challenge once the signature checks out, and stores
 * everything else through IngestService. Slash commands and interactions (form bodies) are acknowledged with an empty
 * 200, which Slack shows to nobody.
 */
@Injectable()
export class SlackEventsService {
  constructor(private readonly ingest: IngestService) {}

  async receive(request: IngestRequest): Promise<SlackAnswer> {
    const body = objectOf(this.ingest.peek(request.rawBody, request.headers['content-type'])) ?? {};
    // Slack's certificate probe for slash-command URLs: nothing to verify or store
    if (body.ssl_check === '1') return { status: 200, body: undefined };
    const to = await this.sourceOf(request.query, body);
    if (body.type === 'url_verification') {
      await this.ingest.verifyOnly(to, request);
      const challenge = str(body.challenge);
      if (!challenge) {
        throw ApiError.validation('The url_verification request has no challenge.', [
          { field: 'challenge', message: 'challenge must be a non-empty string' },
        ]);
      }
      return { status: 200, body: { challenge } };
    }
    const result = await this.ingest.accept(to, request);
    if (bodyKindOf(request.headers['content-type']) === 'form') return { status: 200, body: undefined };
    return {
      status: result.duplicate ? 200 : 202,
      body: successBody(acceptedAnswer(result), request.traceId),
    };
  }

  /** The source named by `?source_id=`, else the Slack sources of the app or workspace, in any tenant. */
  private async sourceOf(query: Record<string, unknown>, body: Json): Promise<Source | SharedCandidates> {
    const sourceId = str(query.source_id);
    if (sourceId) {
      return this.ingest.sourceFor(sourceId, 'slack');
    }
    const { appId, teamId } = routingIds(body);
    if (!appId && !teamId) {
      throw new ApiError(
        'NOT_FOUND',
        'The request names no Slack app (api_app_id) or workspace (team_id): use the source’s ingest_url, ' +
          'which carries ?source_id=.',
      );
    }
    const matches: ConfigMatch[] = [];
    if (appId) matches.push({ key: 'api_app_id', value: appId });
    if (teamId) matches.push({ key: 'team_id', value: teamId });
    return this.ingest.candidatesFor({
      provider: 'slack',
      matches,
      notFound: `No Slack source has config.api_app_id ${appId ?? '(none sent)'} or config.team_id ${teamId ?? '(none sent)'}.`,
    });
  }
}
