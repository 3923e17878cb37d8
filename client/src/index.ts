import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

/** A typed client of the Hookhub API: `{data, error, response}`, where `data` and `error` are the API's envelopes. */
export type HookhubClient = Client<paths>;

/**
 * A client for the Hookhub API at `baseUrl` (e.g. `https://hookhub.example.com`), sending `apiKey`
 * (a tenant API key, or ADMIN_API_KEY for the admin routes) as a bearer token. Answers are not
 * unwrapped: a success's `data` is `{data, meta}`, a failure's `error` is `{error: {code, message,
 * details}, meta}`, both typed from the OpenAPI document.
 */
export function createHookhubClient(
  baseUrl: string,
  apiKey: string,
  options: Omit<ClientOptions, 'baseUrl' | 'headers'> = {},
): HookhubClient {
  return createClient<paths>({ ...options, baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}
