/**
 * The integrations registry, loaded on first use. The registry imports the provider controllers,
 * which import the ingest service; the ingest service and the source mapper reach the registry
 * through this function so that no import cycle can leave a controller's injected types undefined.
 */
export function integrationsRegistry(): typeof import('./registry') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./registry') as typeof import('./registry');
}
