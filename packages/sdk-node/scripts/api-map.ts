/**
 * Builds `api.md`, the map of every SDK method, from the SDK itself: the resource trees of the
 * client instances (`CareOS`, `CareOSIntegration` and `LookupClient`), each resource's static
 * `routes` (method → contract route), each method's signature as written in `src/resources`,
 * and the public methods of `LookupClient` itself (its cache), read from `src/lookup-client.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProviderSigned, routeList, routes, type RouteSpec } from '@careos/contract';
import ts from 'typescript';
import { CareOS } from '../src/client.js';
import { APIResource, type ResourceRoutes } from '../src/core/resource.js';
import { CareOSIntegration } from '../src/integration-client.js';
import { LookupClient } from '../src/lookup-client.js';

/** Root of the package. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));
const resourcesDir = join(packageDir, 'src', 'resources');
const lookupClientFile = join(packageDir, 'src', 'lookup-client.ts');

/** One SDK method and the route it calls. */
export interface ApiMethod {
  /** e.g. `client.partner.payments`, or `integration.clients` for the integration client */
  owner: string;
  /** e.g. `list` */
  name: string;
  /** The resource instance the method lives on. */
  resource: APIResource;
  route: RouteSpec;
  /** `(query?: PaymentListParams, options?: RequestOptions): PagePromise<PartnerPayment>` */
  signature: string;
  /** Source file, relative to the package. */
  file: string;
}

interface ClassSource {
  file: string;
  methods: Map<string, string>;
}

/** A public method of a class: its signature and the first sentence of its doc comment. */
interface MethodSource {
  signature: string;
  summary: string;
}

/** Public methods of every class declared in `path`, by class name. */
function readClasses(path: string): Map<string, { file: string; methods: Map<string, MethodSource> }> {
  const classes = new Map<string, { file: string; methods: Map<string, MethodSource> }>();
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name === undefined) continue;
    const methods = new Map<string, MethodSource>();
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      const modifiers = ts.getCombinedModifierFlags(member);
      if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static)) continue;
      const params = member.parameters.map((p) => p.getText(source)).join(', ');
      const returns = member.type ? `: ${member.type.getText(source)}` : '';
      const doc = ts.getJSDocCommentsAndTags(member).find(ts.isJSDoc);
      const text = ts.getTextOfJSDocComment(doc?.comment) ?? '';
      // The first sentence: up to a full stop before a capital (not "e.g. right"), or a colon.
      const summary = (/^[\s\S]*?(?:\.(?=\s+[A-Z`]|\s*$)|:(?=\s))/.exec(text)?.[0] ?? text).replace(/\s+/g, ' ').replace(/:$/, '.').trim();
      methods.set(member.name.text, { signature: `(${params})${returns}`.replace(/\s+/g, ' '), summary });
    }
    classes.set(statement.name.text, { file: relative(packageDir, path).split('\\').join('/'), methods });
  }
  return classes;
}

/** Public method signatures of every class declared under `src/resources`, by class name. */
function readResourceSources(): Map<string, ClassSource> {
  const classes = new Map<string, ClassSource>();
  const files = readdirSync(resourcesDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const name of files.sort()) {
    for (const [className, { file, methods }] of readClasses(join(resourcesDir, name))) {
      classes.set(className, { file, methods: new Map([...methods].map(([method, m]) => [method, m.signature])) });
    }
  }
  return classes;
}

/** A public method of `LookupClient`: the cache in front of the lookup route. */
export interface LookupClientMethod {
  name: string;
  signature: string;
  summary: string;
  /** The route a miss sends, or `undefined` for a method that only reads or changes the cache. */
  route: RouteSpec | undefined;
}

/** Which `LookupClient` methods send a request on a miss; every other public method only touches the cache. */
const LOOKUP_CLIENT_ROUTES: Readonly<Record<string, RouteSpec>> = { byPhone: routes.lookupPhonePost };

/** The public methods of `LookupClient`, in declaration order. */
export function collectLookupClientMethods(): LookupClientMethod[] {
  const methods = readClasses(lookupClientFile).get('LookupClient')?.methods;
  if (methods === undefined) throw new Error('No LookupClient class in src/lookup-client.ts');
  return [...methods].map(([name, m]) => ({ name, ...m, route: LOOKUP_CLIENT_ROUTES[name] }));
}

/** The clients whose resources the map lists, by the variable name the docs use for each. */
export type ApiRoots = Readonly<Record<string, object>>;

/** `client = new CareOS()`, `integration = new CareOSIntegration()` and `lookup = new LookupClient()`, reading no environment. */
export function defaultRoots(): ApiRoots {
  return { client: new CareOS({ env: {} }), integration: new CareOSIntegration({ env: {} }), lookup: new LookupClient({ env: {} }) };
}

/**
 * Every method of the clients, in declaration order, with its route and signature. Throws when
 * a resource's `routes` and its methods disagree, so that the map cannot drift from the code.
 */
export function collectApiMethods(roots: ApiRoots = defaultRoots()): ApiMethod[] {
  const sources = readResourceSources();
  const methods: ApiMethod[] = [];
  const visit = (owner: string, holder: object) => {
    for (const [property, value] of Object.entries(holder)) {
      if (!(value instanceof APIResource)) continue;
      const path = `${owner}.${property}`;
      const ctor = value.constructor as typeof APIResource & { routes?: ResourceRoutes };
      const source = sources.get(ctor.name);
      if (source === undefined) throw new Error(`No source for resource class ${ctor.name} under src/resources`);
      const mapped = ctor.routes ?? {};
      for (const name of source.methods.keys()) {
        if (!(name in mapped)) throw new Error(`${ctor.name}.${name} is public but missing from ${ctor.name}.routes`);
      }
      for (const [name, route] of Object.entries(mapped)) {
        const signature = source.methods.get(name);
        if (signature === undefined) throw new Error(`${ctor.name}.routes names ${name}, which is not a public method of ${ctor.name}`);
        methods.push({ owner: path, name, resource: value, route, signature, file: source.file });
      }
      visit(path, value);
    }
  };
  for (const [name, root] of Object.entries(roots)) visit(name, root);
  return methods;
}

const AUTH_LABEL: Readonly<Record<RouteSpec['auth'], string>> = {
  none: 'none',
  partnerKey: 'partner API key',
  staffJwt: 'staff token',
  integrationJwt: 'integration token',
  lookupKey: 'lookup API key',
  twilioSignature: 'Twilio signature',
  sendgridSignature: 'SendGrid signature',
  googleChannelToken: 'Google channel token',
  graphClientState: 'Graph clientState',
};

function authLabel(route: RouteSpec): string {
  const base = AUTH_LABEL[route.auth];
  return route.roles ? `${base} (${route.roles.join(', ')})` : base;
}

/**
 * Contract routes that no SDK method calls. The provider webhooks are left out: Twilio and
 * SendGrid call them, signing with keys a partner never holds. So are the pages a browser lands
 * on (`responseEncoding: 'html'`, the end of a calendar's OAuth consent): the provider sends the
 * browser there, never a program.
 */
export function unmappedRoutes(methods: readonly ApiMethod[]): RouteSpec[] {
  const used = new Set(methods.map((m) => m.route));
  return routeList.filter((route) => !used.has(route) && !isProviderSigned(route) && (route as RouteSpec).responseEncoding !== 'html');
}

/** The `lookup` section: the cache's own methods, before its `uncached` resource. */
function renderLookupClient(methods: readonly LookupClientMethod[]): string[] {
  const lines = [
    '## lookup',
    '',
    'Source: [src/lookup-client.ts](src/lookup-client.ts)',
    '',
    '`byPhone()` answers from the cache, or sends one request for however many calls ask for the same number at once. It',
    'resolves `{ found: false, error }` instead of rejecting unless the client has `throwOnError`. The other methods send',
    'nothing.',
    '',
    '| Method | Endpoint | Auth | Summary |',
    '| --- | --- | --- | --- |',
  ];
  for (const m of methods) {
    const signature = `${m.name}${m.signature}`.replace(/\|/g, '\\|');
    const endpoint = m.route ? `\`${m.route.method} ${m.route.path}\` on a miss` : '—';
    lines.push(`| \`${signature}\` | ${endpoint} | ${m.route ? authLabel(m.route) : '—'} | ${m.summary.replace(/\|/g, '\\|')} |`);
  }
  lines.push('');
  return lines;
}

/** Renders `api.md`. */
export function renderApiMd(methods: readonly ApiMethod[] = collectApiMethods(), lookupMethods: readonly LookupClientMethod[] = collectLookupClientMethods()): string {
  const lines = [
    '# @careos/sdk API map',
    '',
    '<!-- Generated by `pnpm --filter @careos/sdk api-md` from each resource\'s `routes`; do not edit by hand. A test fails when this file is stale. -->',
    '',
    '`client` is `new CareOS()` (leads, partner, admin); `integration` is `new CareOSIntegration()` (the',
    'therapist-integration API, which authenticates itself with its API key and secret); `lookup` is',
    '`new LookupClient()` or `client.lookup` (the CCaaS screen pop, with its cache).',
    '',
    'Every method sends one contract route (`integration.auth.token()` only when it has no fresh token cached).',
    'All of them take a last, optional `options: RequestOptions`',
    '(`signal`, `timeout`, `deadline`, `maxRetries`, `idempotencyKey`, `headers`). `APIPromise<T>` is a',
    '`Promise<T>` with `.withResponse()`; `PagePromise<T>` resolves to the first `Page<T>` and is also an',
    'async iterable over every item of every page.',
    '',
  ];
  const owners = [...new Set(methods.map((m) => m.owner))];
  for (const owner of owners) {
    if (owner.startsWith('lookup.') && !lines.includes('## lookup')) lines.push(...renderLookupClient(lookupMethods));
    const own = methods.filter((m) => m.owner === owner);
    lines.push(`## ${owner}`, '', `Source: [${own[0]?.file}](${own[0]?.file})`, '', '| Method | Endpoint | Auth | Summary |', '| --- | --- | --- | --- |');
    for (const m of own) {
      const signature = `${m.name}${m.signature}`.replace(/\|/g, '\\|');
      lines.push(`| \`${signature}\` | \`${m.route.method} ${m.route.path}\` | ${authLabel(m.route)} | ${m.route.summary} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Where the map lives. */
export const apiMdPath = join(packageDir, 'api.md');
