import dns from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** What a destination URL may be, from `ALLOW_HTTP_URLS` and `ALLOW_PRIVATE_URLS`. */
export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

/** Resolves a hostname to every address it has (the shape of `dns.promises.lookup(host, {all: true})`). */
export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** Error code of a connection refused by {@link guardedLookup}. */
export const FORBIDDEN_ADDRESS_CODE = 'EADDRNOTAVAIL_FORBIDDEN';

const PRIVATE_HINT = 'set ALLOW_PRIVATE_URLS=true to allow';

/** Hostnames that name the machine itself or a cloud metadata service, whatever DNS says. */
const LOCAL_HOSTNAMES = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

function ipv4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The IPv4 addresses an IPv6 range carries, which decide where such an address leads: mapped and
 * translated (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`; the local-use 64:ff9b:1::/48 counts as
 * unspecified), 6to4 (`2002:aabb:ccdd::`) and Teredo (its server and de-obfuscated client).
 */
const EMBEDDED_IPV4: Partial<Record<ReturnType<ipaddr.IPv6['range']>, (p: number[]) => ipaddr.IPv4[]>> = {
  ipv4Mapped: (p) => [ipv4FromParts(p[6], p[7])],
  rfc6145: (p) => [ipv4FromParts(p[6], p[7])],
  rfc6052: (p) => [p[2] === 0 ? ipv4FromParts(p[6], p[7]) : new ipaddr.IPv4([0, 0, 0, 0])],
  '6to4': (p) => [ipv4FromParts(p[1], p[2])],
  teredo: (p) => [ipv4FromParts(p[2], p[3]), ipv4FromParts(~p[6] & 0xffff, ~p[7] & 0xffff)],
};

function isForbiddenParsed(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (address.kind() === 'ipv4') return address.range() !== 'unicast';
  const v6 = address as ipaddr.IPv6;
  const embedded = EMBEDDED_IPV4[v6.range()];
  if (embedded) return embedded(v6.parts).some(isForbiddenParsed);
  // Deprecated IPv4-compatible addresses (::a.b.c.d) have no legitimate use: refuse them all.
  if (v6.parts.slice(0, 6).every((part) => part === 0)) return true;
  return v6.range() !== 'unicast';
}

/**
 * Rewrites an IPv6 text's trailing dotted quad as two hex groups: ipaddr.js reads `::1.2.3.4` as
 * the mapped `::ffff:1.2.3.4`, whereas the kernel (and WHATWG URL) read it as IPv4-compatible `::102:304`.
 */
function dottedTailToHex(text: string): string {
  return text.replace(
    /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/,
    (_match, a: string, b: string, c: string, d: string) => {
      const [high, low] = [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)];
      return `${high.toString(16)}:${low.toString(16)}`;
    },
  );
}

/**
 * True for addresses a webhook must never reach unless ALLOW_PRIVATE_URLS: anything ipaddr.js does
 * not class as `unicast` (loopback, private, link-local incl. 169.254.169.254, CGNAT, multicast,
 * unspecified, broadcast, reserved, unique-local…), IPv4-mapped/compatible IPv6 of those, and
 * 6to4/NAT64/Teredo addresses embedding them. Unparseable text is forbidden too.
 */
export function isForbiddenAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  try {
    return isForbiddenParsed(ipaddr.parse(text.includes(':') ? dottedTailToHex(text) : text));
  } catch {
    return true;
  }
}

/** `localhost`, `*.localhost` and well-known cloud metadata names (case and trailing dot ignored). */
function isLocalHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  return LOCAL_HOSTNAMES.has(name) || name.endsWith('.localhost');
}

/** The URL's host without IPv6 brackets (WHATWG URL has already normalised 2130706433, 0x7f.1, 127.1…). */
function bareHostname(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const defaultLookup: Lookup = (hostname) => dns.promises.lookup(hostname, { all: true });

function checkSyntax(url: string, policy: UrlPolicy): { parsed?: URL; reason: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { reason: 'url is not a valid absolute URL' };
  }
  if (parsed.protocol === 'http:' && !policy.allowHttp) {
    return { reason: 'url must use https (set ALLOW_HTTP_URLS=true to allow http)' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { reason: policy.allowHttp ? 'url must use http or https' : 'url must use https' };
  }
  if (parsed.username !== '' || parsed.password !== '') return { reason: 'url must not contain credentials' };
  if (parsed.hostname === '') return { reason: 'url has no host' };
  return { parsed, reason: null };
}

/**
 * Registration-time check of a destination URL: `null` when acceptable, else the reason. Refuses
 * bad syntax, schemes other than https (http too unless allowHttp), credentials, and — unless
 * allowPrivate — local/metadata hostnames, forbidden IP literals and hostnames any of whose DNS
 * answers is forbidden. A hostname that does not resolve is accepted: every connection re-checks.
 */
export async function checkDestinationUrl(
  url: string,
  policy: UrlPolicy,
  lookup: Lookup = defaultLookup,
): Promise<string | null> {
  const { parsed, reason } = checkSyntax(url, policy);
  if (!parsed || reason !== null) return reason;
  if (policy.allowPrivate) return null;

  const hostname = bareHostname(parsed);
  if (isIP(hostname) !== 0) {
    return isForbiddenAddress(hostname)
      ? `url points to a private or loopback address (${hostname}; ${PRIVATE_HINT})`
      : null;
  }
  if (isLocalHostname(hostname)) return `url points to a local or cloud-metadata host (${hostname}; ${PRIVATE_HINT})`;

  let answers: { address: string }[];
  try {
    answers = await lookup(hostname);
  } catch {
    return null;
  }
  const forbidden = answers.find((answer) => isForbiddenAddress(answer.address));
  return forbidden ? `url resolves to a private or loopback address (${forbidden.address}; ${PRIVATE_HINT})` : null;
}

function forbiddenAddressError(address: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`refused address ${address} (private or loopback)`);
  error.code = FORBIDDEN_ADDRESS_CODE;
  return error;
}

/**
 * A `lookup` for net.connect / undici's `connect` options: resolves as `resolve` does (both the
 * single-answer and the `all: true` forms), then, unless allowPrivate, fails with
 * `EADDRNOTAVAIL_FORBIDDEN` when any address it would hand back is forbidden, so a hostname
 * re-pointed at a private address after registration (DNS rebinding) is still refused.
 */
export function guardedLookup(allowPrivate: boolean, resolve: typeof dns.lookup = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, address, family) => {
      if (error || allowPrivate) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      const forbidden = addresses.find(isForbiddenAddress);
      if (forbidden !== undefined) return callback(forbiddenAddressError(forbidden), address, family);
      callback(null, address, family);
    });
  };
}
