import { version } from '../../package.json';

/** Hookhub's version, from package.json: in the OpenAPI document and the User-Agent of deliveries. */
export const HOOKHUB_VERSION: string = version;
