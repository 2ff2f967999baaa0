import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { WebhookPrivateAccess } from '../../config/webhook-config.js';

/** What kind of non-public address a receiver resolved to. */
export type AddressClass = 'metadata' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'reserved';

/** Options of {@link WebhookUrlPolicy}. */
export interface WebhookUrlPolicyOptions {
  /** Refuse `http://` (production), except a literal loopback/private host that `allowPrivate` admits. */
  requireHttps: boolean;
  /** Non-public receivers allowed. */
  allowPrivate: WebhookPrivateAccess;
  /** Name resolution, at registration and at connect time (default: the system resolver, as `dns.lookup`). */
  lookup?: LookupFunction;
  /** How long registration waits for a name to resolve (default 2 s). */
  resolveTimeoutMs?: number;
}

/**
 * Thrown (or passed to a connect callback) when a receiver is refused by the policy; `reason`
 * says which rule, in words fit for the caller.
 */
export class WebhookUrlRefused extends Error {
  override readonly name = 'WebhookUrlRefused';
  readonly code = 'CAREOS_WEBHOOK_URL_REFUSED';
  constructor(readonly reason: string) {
    super(reason);
  }
}

// Ranges by class, checked in this order (metadata before link-local and private, which contain it).
const IPV4: [AddressClass, string, number][] = [
  ['metadata', '169.254.169.254', 32], // AWS, GCP, Azure, OCI, DigitalOcean …
  ['metadata', '169.254.170.2', 32], // AWS ECS task metadata
  ['metadata', '100.100.100.200', 32], // Alibaba Cloud
  ['unspecified', '0.0.0.0', 8],
  ['loopback', '127.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10], // carrier-grade NAT
  ['link-local', '169.254.0.0', 16],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4], // includes 255.255.255.255
  ['reserved', '192.0.0.0', 24],
  ['reserved', '192.0.2.0', 24],
  ['reserved', '198.18.0.0', 15],
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
];
const IPV6: [AddressClass, string, number][] = [
  ['metadata', 'fd00:ec2::254', 128], // AWS over IPv6
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['reserved', '::', 96], // IPv4-compatible (deprecated)
  ['private', 'fc00::', 7], // unique local
  ['private', 'fec0::', 10], // site-local (deprecated)
  ['link-local', 'fe80::', 10],
  ['multicast', 'ff00::', 8],
  ['reserved', '100::', 64], // discard
  ['reserved', '2001:db8::', 32], // documentation
  ['reserved', '64:ff9b:1::', 48], // local-use NAT64
];

/** `a.b.c.d` of one of the constants above → two hex groups, for the IPv6 forms that embed it. */
function hexGroups(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/**
 * One BlockList per class. IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is matched by BlockList
 * itself; NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) addresses embed an IPv4 address too,
 * so every IPv4 range is added again in those two forms.
 */
const CLASSES: [AddressClass, BlockList][] = (() => {
  const lists = new Map<AddressClass, BlockList>();
  const list = (cls: AddressClass) => lists.get(cls) ?? lists.set(cls, new BlockList()).get(cls)!;
  for (const [cls, network, prefix] of IPV4) {
    list(cls).addSubnet(network, prefix, 'ipv4');
    list(cls).addSubnet(`64:ff9b::${hexGroups(network)}`, 96 + prefix, 'ipv6');
    list(cls).addSubnet(`2002:${hexGroups(network)}::`, 16 + prefix, 'ipv6');
  }
  for (const [cls, network, prefix] of IPV6) list(cls).addSubnet(network, prefix, 'ipv6');
  const order: AddressClass[] = ['metadata', 'unspecified', 'loopback', 'link-local', 'private', 'multicast', 'reserved'];
  return order.map((cls) => [cls, list(cls)]);
})();

/** Host names of cloud metadata services (they resolve to the addresses above where they resolve at all). */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** The class of a non-public IP address, or `null` for a public one. */
export function classifyAddress(address: string): AddressClass | null {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [cls, list] of CLASSES) if (list.check(address, type)) return cls;
  return null;
}

const DESCRIPTION: Record<AddressClass, string> = {
  metadata: 'a cloud metadata address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private network address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** A bracketed IPv6 host (`[::1]`) without its brackets; a name without its trailing dot, lower case. */
function bareHost(hostname: string): string {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(host) ? host : host.replace(/\.$/, '').toLowerCase();
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Where webhooks may be sent (server-side request forgery protection): one policy, applied when
 * a URL is registered and again to the addresses each delivery connects to, so a name that
 * resolves elsewhere after registration (DNS rebinding) is caught at delivery.
 *
 * URLs go through the WHATWG parser first, which already turns every other spelling of an IPv4
 * address (`0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1`) into dotted form; addresses are
 * then matched against `node:net` BlockLists.
 */
export class WebhookUrlPolicy {
  readonly #options: WebhookUrlPolicyOptions;
  readonly #lookup: LookupFunction;

  constructor(options: WebhookUrlPolicyOptions) {
    this.#options = options;
    this.#lookup = options.lookup ?? systemLookup;
  }

  /**
   * Why a receiver at `address` is refused, or `null` when it is allowed. `name` is the host
   * name that resolved to it, if any, for the message.
   */
  addressRefusal(address: string, name?: string): string | null {
    const cls = classifyAddress(address);
    if (cls === null || this.#allows(cls)) return null;
    const what = name ? `${name} resolves to ${address}, ${DESCRIPTION[cls]}` : `${address} is ${DESCRIPTION[cls]}`;
    const setting = cls === 'loopback' || cls === 'private' ? ' (see CAREOS_WEBHOOK_ALLOW_PRIVATE)' : '';
    return `${what}; webhooks go only to public addresses${setting}`;
  }

  #allows(cls: AddressClass): boolean {
    const access = this.#options.allowPrivate;
    return (cls === 'loopback' && access !== 'none') || (cls === 'private' && access === 'private');
  }

  /**
   * What can be said of a URL without resolving it: its scheme, a literal address, a metadata
   * or `localhost` name. `null` when nothing refuses it yet.
   */
  urlRefusal(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'Not an absolute URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http and https URLs are allowed';
    const host = bareHost(url.hostname);
    if (METADATA_NAMES.has(host)) return metadataName(host);
    const literal = isIP(host) ? host : isLocalhostName(host) ? '127.0.0.1' : null;
    const refusal = literal === null ? null : this.addressRefusal(literal, literal === host ? undefined : host);
    if (refusal) return refusal;
    // Plain http only to a non-public host this deployment allows on purpose (a sandbox receiver on 127.0.0.1).
    if (url.protocol === 'http:' && this.#options.requireHttps && (literal === null || classifyAddress(literal) === null)) {
      return 'Use an https:// URL: plain http is refused in production';
    }
    return null;
  }

  /**
   * Checks a URL at registration: {@link urlRefusal}, then every address its host name resolves
   * to. A name that does not resolve (yet) is accepted: each delivery checks the addresses it
   * connects to, and the attempt history shows the resolver's error.
   *
   * @throws {@link WebhookUrlRefused}
   */
  async assertAllowed(raw: string): Promise<void> {
    const refusal = this.urlRefusal(raw);
    if (refusal) throw new WebhookUrlRefused(refusal);
    const host = bareHost(new URL(raw).hostname);
    if (isIP(host) || isLocalhostName(host)) return;
    const addresses = await this.#resolve(host).catch((): LookupAddress[] => []);
    const why = this.#firstRefusal(addresses, host);
    if (why) throw new WebhookUrlRefused(why);
  }

  #firstRefusal(addresses: readonly LookupAddress[], host: string): string | null {
    for (const { address } of addresses) {
      const why = this.addressRefusal(address, host);
      if (why) return why;
    }
    return null;
  }

  #resolve(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out')), this.#options.resolveTimeoutMs ?? 2000);
      this.#lookup(host, { all: true }, (error, addresses) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(addresses as LookupAddress[]);
      });
    });
  }

  /**
   * A `lookup` for `net.connect` / `tls.connect`: resolves with this policy's resolver and fails
   * with {@link WebhookUrlRefused} when any address is refused, so no connection is even tried
   * to a name that now points inside the network.
   */
  readonly connectLookup: LookupFunction = (hostname, options, callback) => {
    const host = bareHost(hostname);
    const fail = (error: Error) => callback(error as NodeJS.ErrnoException, '', 4);
    if (METADATA_NAMES.has(host)) return fail(new WebhookUrlRefused(metadataName(host)));
    this.#lookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return fail(error);
      const addresses = (found as LookupAddress[]).filter((a) => !options.family || a.family === options.family);
      const refusal = this.#firstRefusal(addresses, host);
      if (refusal) return fail(new WebhookUrlRefused(refusal));
      if (addresses.length === 0) return fail(Object.assign(new Error(`No address for ${host}`), { code: 'ENOTFOUND' }));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function metadataName(host: string): string {
  return `${host} is a cloud metadata service; webhooks go only to public addresses`;
}
