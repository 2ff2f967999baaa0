import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { classifyAddress, WebhookUrlPolicy, WebhookUrlRefused } from './url-policy.js';

/** A resolver answering from a fixed table. */
function resolver(table: Record<string, string[]>): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void) => {
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), '', 4);
    const found = addresses.map((address) => ({ address, family: isIP(address) }));
    if (options.all) callback(null, found);
    else callback(null, found[0]!.address, found[0]!.family);
  }) as LookupFunction;
}

const lookup = resolver({ 'public.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], 'lan.test': ['192.168.1.20'], 'loop.test': ['::1'] });
const production = new WebhookUrlPolicy({ requireHttps: true, allowPrivate: 'none', lookup });
const sandbox = new WebhookUrlPolicy({ requireHttps: true, allowPrivate: 'loopback', lookup });
const development = new WebhookUrlPolicy({ requireHttps: false, allowPrivate: 'private', lookup });

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['not an address', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });
});

describe('WebhookUrlPolicy', () => {
  it('in production allows https to public addresses only', async () => {
    await expect(production.assertAllowed('https://public.test/hook')).resolves.toBeUndefined();
    await expect(production.assertAllowed('https://93.184.216.34/hook')).resolves.toBeUndefined();
    // A name that does not resolve yet is checked again at every delivery.
    await expect(production.assertAllowed('https://not-yet.test/hook')).resolves.toBeUndefined();
    for (const url of ['http://public.test/hook', 'https://lan.test/', 'https://loop.test/', 'https://127.1/', 'https://[::1]/', 'https://localhost/', 'https://app.localhost/', 'https://METADATA.google.internal./']) {
      await expect(production.assertAllowed(url), url).rejects.toBeInstanceOf(WebhookUrlRefused);
    }
  });

  it('lets an explicit loopback setting reach a local receiver over http, and nothing else private', async () => {
    await expect(sandbox.assertAllowed('http://127.0.0.1:4000/hook')).resolves.toBeUndefined();
    await expect(sandbox.assertAllowed('http://localhost:4000/hook')).resolves.toBeUndefined();
    await expect(sandbox.assertAllowed('https://lan.test/')).rejects.toThrow('lan.test resolves to 192.168.1.20, a private network address');
    await expect(sandbox.assertAllowed('http://public.test/')).rejects.toThrow('Use an https:// URL');
  });

  it('in development allows http, loopback and private networks, never metadata or link-local', async () => {
    for (const url of ['http://127.0.0.1:4000/hook', 'http://lan.test/', 'http://10.0.0.5/', 'http://[fd12::1]/']) await expect(development.assertAllowed(url), url).resolves.toBeUndefined();
    for (const url of ['http://169.254.169.254/', 'http://[fe80::1]/', 'http://metadata/', 'http://0.0.0.0:80/']) await expect(development.assertAllowed(url), url).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('checks every address a name resolves to when connecting, in the shape net.connect asked for', async () => {
    const connect = (policy: WebhookUrlPolicy, host: string, all: boolean) =>
      new Promise((resolve, reject) => policy.connectLookup(host, { all }, (error, address, family) => (error ? reject(error) : resolve(all ? address : [address, family]))));
    await expect(connect(production, 'public.test', true)).resolves.toHaveLength(2);
    await expect(connect(production, 'public.test', false)).resolves.toEqual(['93.184.216.34', 4]);
    await expect(connect(production, 'loop.test', true)).rejects.toThrow('loop.test resolves to ::1, a loopback address');
    await expect(connect(development, 'metadata.google.internal', false)).rejects.toBeInstanceOf(WebhookUrlRefused);
    await expect(connect(production, 'missing.test', false)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
