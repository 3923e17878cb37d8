import type { LookupAddress, LookupOptions } from 'node:dns';
import dns from 'node:dns';
import { checkDestinationUrl, guardedLookup, isForbiddenAddress, Lookup, UrlPolicy } from './url-guard';

const strict: UrlPolicy = { allowHttp: false, allowPrivate: false };
const httpAllowed: UrlPolicy = { allowHttp: true, allowPrivate: false };
const permissive: UrlPolicy = { allowHttp: true, allowPrivate: true };

/** A fake DNS: every hostname resolves to `addresses`, or fails with ENOTFOUND when none are given. */
function fakeLookup(...addresses: string[]): jest.MockedFunction<Lookup> {
  return jest.fn(async (hostname: string) => {
    if (addresses.length === 0)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  });
}

describe('isForbiddenAddress', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.216.34'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['2606:4700:4700::1111'],
    ['2a00:1450:4001:80b::200e'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
    ['2002:808:808::1'],
  ])('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with zone'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback in hex'],
    ['::8.8.8.8', 'IPv4-compatible (deprecated)'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo with client 10.0.0.1'],
    ['[::1]', 'bracketed IPv6 loopback'],
    ['2130706433', 'decimal loopback'],
    ['not-an-ip', 'unparseable'],
    ['', 'empty'],
    ['example.com', 'a hostname'],
  ])('forbids %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });
});

describe('checkDestinationUrl', () => {
  it('accepts a public https URL', async () => {
    const lookup = fakeLookup('93.184.216.34');
    await expect(checkDestinationUrl('https://hooks.example.com/in?x=1', strict, lookup)).resolves.toBeNull();
    expect(lookup).toHaveBeenCalledWith('hooks.example.com');
  });

  it('refuses http unless ALLOW_HTTP_URLS', async () => {
    const lookup = fakeLookup('93.184.216.34');
    await expect(checkDestinationUrl('http://hooks.example.com/', strict, lookup)).resolves.toBe(
      'url must use https (set ALLOW_HTTP_URLS=true to allow http)',
    );
    await expect(checkDestinationUrl('http://hooks.example.com/', httpAllowed, lookup)).resolves.toBeNull();
  });

  it.each(['ftp://hooks.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://example.com:70/'])(
    'refuses the scheme of %s',
    async (url) => {
      await expect(checkDestinationUrl(url, permissive, fakeLookup('93.184.216.34'))).resolves.toMatch(/must use/);
    },
  );

  it.each(['', 'not a url', '/relative/path', 'https://'])('refuses the unparseable %p', async (url) => {
    await expect(checkDestinationUrl(url, permissive, fakeLookup('93.184.216.34'))).resolves.toMatch(/not a valid/);
  });

  it.each([
    'https://user:pass@hooks.example.com/',
    'https://user@hooks.example.com/',
    'https://:pw@hooks.example.com/',
  ])('refuses credentials in %s, even with ALLOW_PRIVATE_URLS', async (url) => {
    await expect(checkDestinationUrl(url, permissive, fakeLookup('93.184.216.34'))).resolves.toBe(
      'url must not contain credentials',
    );
  });

  it.each([
    'https://localhost/',
    'https://LOCALHOST:8443/hook',
    'https://localhost./',
    'https://api.localhost/',
    'https://metadata.google.internal/computeMetadata/v1/',
  ])('refuses the local host of %s unless ALLOW_PRIVATE_URLS, without asking DNS', async (url) => {
    const lookup = fakeLookup('93.184.216.34');
    await expect(checkDestinationUrl(url, strict, lookup)).resolves.toMatch(/local or cloud-metadata host/);
    expect(lookup).not.toHaveBeenCalled();
    await expect(checkDestinationUrl(url, permissive, lookup)).resolves.toBeNull();
  });

  it.each([
    ['https://127.0.0.1/', '127.0.0.1'],
    ['https://2130706433/', '127.0.0.1'],
    ['https://0x7f000001/', '127.0.0.1'],
    ['https://0177.0.0.1/', '127.0.0.1'],
    ['https://127.1/', '127.0.0.1'],
    ['https://10.0.0.1:8443/hook', '10.0.0.1'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['https://0.0.0.0/', '0.0.0.0'],
    ['https://[::1]/', '::1'],
    ['https://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['https://[::ffff:7f00:1]/', '::ffff:7f00:1'],
    ['https://[fd00::1]/', 'fd00::1'],
    ['https://[fe80::1]/', 'fe80::1'],
  ])('refuses the IP literal of %s', async (url, shown) => {
    const lookup = fakeLookup();
    await expect(checkDestinationUrl(url, strict, lookup)).resolves.toBe(
      `url points to a private or loopback address (${shown}; set ALLOW_PRIVATE_URLS=true to allow)`,
    );
    expect(lookup).not.toHaveBeenCalled();
    await expect(checkDestinationUrl(url, permissive, lookup)).resolves.toBeNull();
  });

  it.each(['https://8.8.8.8/hook', 'https://134744072/', 'https://[2606:4700:4700::1111]/'])(
    'accepts the public IP literal %s',
    async (url) => {
      await expect(checkDestinationUrl(url, strict, fakeLookup())).resolves.toBeNull();
    },
  );

  it('refuses a hostname that resolves to 127.0.0.1', async () => {
    const lookup = fakeLookup('127.0.0.1');
    await expect(checkDestinationUrl('https://rebind.example.com/', strict, lookup)).resolves.toBe(
      'url resolves to a private or loopback address (127.0.0.1; set ALLOW_PRIVATE_URLS=true to allow)',
    );
    await expect(checkDestinationUrl('https://rebind.example.com/', permissive, lookup)).resolves.toBeNull();
  });

  it('refuses a hostname when any of its answers is forbidden', async () => {
    const lookup = fakeLookup('93.184.216.34', 'fd00::5');
    await expect(checkDestinationUrl('https://mixed.example.com/', strict, lookup)).resolves.toMatch(/\(fd00::5;/);
  });

  it('accepts a hostname that does not resolve (checked again at send time)', async () => {
    await expect(checkDestinationUrl('https://not-yet.example.com/', strict, fakeLookup())).resolves.toBeNull();
  });
});

describe('guardedLookup', () => {
  /** A fake dns.lookup that answers `address` in both the single and the `all: true` forms. */
  function fakeResolver(address: string): typeof dns.lookup {
    const family = address.includes(':') ? 6 : 4;
    const resolver = (
      _hostname: string,
      options: LookupOptions,
      callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    return resolver as unknown as typeof dns.lookup;
  }

  function run(
    lookup: ReturnType<typeof guardedLookup>,
    options: LookupOptions,
    hostname = 'hooks.example.com',
  ): Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }> {
    return new Promise((resolve) => lookup(hostname, options, (error, address) => resolve({ error, address })));
  }

  it.each([{}, { all: true }])('refuses an answer of 10.0.0.1 (options %p)', async (options) => {
    const { error } = await run(guardedLookup(false, fakeResolver('10.0.0.1')), options);
    expect(error?.code).toBe('EADDRNOTAVAIL_FORBIDDEN');
    expect(error?.message).toBe('refused address 10.0.0.1 (private or loopback)');
  });

  it('lets 10.0.0.1 through when private addresses are allowed', async () => {
    await expect(run(guardedLookup(true, fakeResolver('10.0.0.1')), {})).resolves.toEqual({
      error: null,
      address: '10.0.0.1',
    });
  });

  it.each([
    [{}, '93.184.216.34'],
    [{ all: true }, [{ address: '93.184.216.34', family: 4 }]],
  ])('passes a public answer through unchanged (options %p)', async (options, expected) => {
    await expect(run(guardedLookup(false, fakeResolver('93.184.216.34')), options)).resolves.toEqual({
      error: null,
      address: expected,
    });
  });

  it('passes resolver errors through', async () => {
    const failing = ((_host: string, _options: LookupOptions, callback: (error: Error) => void) =>
      callback(
        Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      )) as unknown as typeof dns.lookup;
    const { error } = await run(guardedLookup(false, failing), {});
    expect(error?.code).toBe('ENOTFOUND');
  });

  it('refuses the real resolution of localhost', async () => {
    const { error } = await run(guardedLookup(false), { all: true }, 'localhost');
    expect(error?.code).toBe('EADDRNOTAVAIL_FORBIDDEN');
  });
});
