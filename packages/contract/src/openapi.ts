import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { ErrorEnvelope, RateLimitedEnvelope } from './errors.js';
import { TAG_DESCRIPTIONS } from './openapi-tags.js';
import { acceptsIdempotencyKey, type RouteSpec } from './route.js';
import { routeErrors } from './route-errors.js';
import { routeList } from './routes.js';
import { WEBHOOK_EVENT_SCHEMAS } from './schemas/webhooks.js';

/** A JSON Schema object as it appears in the OpenAPI document. */
export type JsonSchema = Record<string, unknown>;

/** Options of {@link buildOpenApi}. */
export interface BuildOpenApiOptions {
  /** Base URL listed under `servers` (default: the production URL of the seeds). */
  serverUrl?: string;
  /** `info.version` (default: the contract's version). */
  version?: string;
  /** Routes to describe (default: the whole route table). */
  routes?: readonly RouteSpec[];
}

/** A minimal OpenAPI 3.1 document type (enough to read what we generate). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  servers: { url: string; description?: string }[];
  paths: Record<string, Record<string, unknown>>;
  /** The events CareOS POSTs to registered webhook URLs, one entry per event type. */
  webhooks: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  tags: { name: string; description?: string }[];
}

const REF_PREFIX = '#/components/schemas/';

/**
 * Collects component schemas. zod names every schema that carries `.meta({ id })`; the same
 * schema can render differently as input (defaults optional) and output, so a clash gets an
 * `Input` suffix instead of silently overwriting.
 */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  /** Converts a zod schema and returns an inline schema or a `$ref` into the components. */
  add(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
    const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
    delete converted.$defs;
    delete converted.$schema;
    const renames = new Map<string, string>();
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')) {
          const id = value.slice('#/$defs/'.length);
          out[key] = REF_PREFIX + (renames.get(id) ?? id);
        } else out[key] = rewrite(value);
      }
      return out;
    };
    // Compare definitions as they will be stored (refs rewritten), else every schema that refers
    // to another named one would look different from itself. A rename changes the refs of the
    // schemas using it, so repeat until no new clash appears.
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, def] of Object.entries(defs)) {
        const existing = this.schemas[id];
        if (renames.has(id) || existing === undefined || isDeepStrictEqual(existing, rewrite(def))) continue;
        renames.set(id, `${id}${io === 'input' ? 'Input' : 'Output'}`);
        changed = true;
      }
    }
    for (const [id, def] of Object.entries(defs)) this.schemas[renames.get(id) ?? id] = rewrite(def) as JsonSchema;
    return rewrite(converted) as JsonSchema;
  }
}

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query' | 'header', components: Components) {
  if (!schema) return [];
  const json = components.add(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable',
  429: 'Rate limit exceeded',
  500: 'Internal server error',
  503: 'Unavailable',
};

const rateLimitHeaders = {
  'X-RateLimit-Limit': { description: 'Requests allowed per window', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests remaining in the window', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'ISO 8601 time when the window resets', schema: { type: 'string', format: 'date-time' } },
};
const requestIdHeader = { 'X-Request-Id': { description: 'Request id (echoes the caller’s)', schema: { type: 'string' } } };

/** Security requirements of a route; entries are alternatives (any one suffices). */
function securityOf(route: RouteSpec): Record<string, string[]>[] {
  // An empty requirement is OpenAPI's "or anonymous".
  if (route.auth === 'none') return route.optionalStaffToken ? [{ staffJwt: [] }, {}] : [];
  // The same lookup key is accepted in either header, which OpenAPI spells as two schemes.
  if (route.auth === 'lookupKey') return [{ lookupKey: [] }, { lookupKeyBearer: [] }];
  // Graph's secret travels in the body (`clientState` of each notification), which no OpenAPI scheme can name.
  if (route.auth === 'graphClientState') return [];
  return [{ [route.auth]: [] }];
}

function operation(route: RouteSpec, components: Components) {
  const parameters = [
    ...parametersOf(route.params, 'path', components),
    ...parametersOf(route.query, 'query', components),
    ...parametersOf(route.headers, 'header', components),
    { name: 'X-Request-Id', in: 'header', required: false, description: 'Your request id; echoed back', schema: { type: 'string', maxLength: 200 } },
  ];
  if (route.auth === 'partnerKey') {
    parameters.push({ name: 'X-Platform', in: 'header', required: true, description: 'Partner platform name, e.g. businessos', schema: { type: 'string' } });
  }
  if (acceptsIdempotencyKey(route)) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: route.fingerprintExcludes?.length
        ? `Same key + same body replays the stored response for 24 h (the body compared without ${route.fingerprintExcludes.join(', ')})`
        : 'Same key + same body replays the stored response for 24 h',
      schema: { type: 'string', maxLength: 255 },
    });
  }
  const successHeaders = { ...requestIdHeader, ...(route.rateLimit ? rateLimitHeaders : {}) };
  const errorRef = components.add(ErrorEnvelope, 'output');
  const responses: Record<string, unknown> = {
    [route.status]: {
      description: STATUS_TEXT[route.status],
      headers: successHeaders,
      content: { [route.responseEncoding === 'xml' ? 'text/xml' : route.responseEncoding === 'html' ? 'text/html' : route.responseEncoding === 'text' ? 'text/plain' : 'application/json']: { schema: components.add(route.response, 'output') } },
    },
  };
  for (const [status, alternative] of Object.entries(route.alternatives ?? {})) {
    responses[status] = {
      description: alternative!.description,
      headers: successHeaders,
      content: { 'application/json': { schema: components.add(alternative!.response, 'output') } },
    };
  }
  for (const [status, strings] of Object.entries(routeErrors(route) as Record<string, readonly string[]>)) {
    const documented = strings.length ? `: ${strings.map((s) => `\`${s}\``).join(', ')}` : '';
    responses[status] = {
      description: `${STATUS_TEXT[Number(status)] ?? 'Error'}${documented}`,
      headers: status === '429' ? { ...successHeaders, 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } : requestIdHeader,
      content: { 'application/json': { schema: status === '429' ? components.add(RateLimitedEnvelope, 'output') : errorRef } },
    };
  }
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    security: securityOf(route),
    parameters,
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [route.bodyEncoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: components.add(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

const WEBHOOK_HEADERS: [name: string, description: string][] = [
  ['webhook-id', 'Delivery id, the same on every retry: deduplicate on it (Standard Webhooks)'],
  ['webhook-timestamp', 'Unix seconds of this attempt (Standard Webhooks)'],
  ['webhook-signature', '`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the base64-decoded part of the `whsec_` secret'],
  ['X-CareOS-Signature', 'Hex HMAC-SHA256 of the raw body, keyed by the whole secret string (legacy scheme)'],
  ['X-CareOS-Timestamp', 'ISO 8601 time of the event (legacy scheme)'],
  ['X-CareOS-Event', 'Event type (legacy scheme)'],
  ['X-LoveRescue-Signature', 'Same value as X-CareOS-Signature, under the integration seed’s name'],
  ['X-LoveRescue-Timestamp', 'Same value as X-CareOS-Timestamp'],
  ['X-LoveRescue-Event', 'Same value as X-CareOS-Event'],
];

/**
 * The `webhooks` section: one POST per event type, with its body schema and signature headers.
 * Any 2xx acknowledges; anything else (or no answer within 10 s) is retried.
 */
function webhookItems(components: Components): OpenApiDocument['webhooks'] {
  const items: OpenApiDocument['webhooks'] = {};
  for (const [event, schema] of Object.entries(WEBHOOK_EVENT_SCHEMAS)) {
    items[event] = {
      post: {
        operationId: `${event.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())}Webhook`,
        summary: schema.description ?? event,
        description:
          'Delivered at least once: up to 5 attempts within 24 h (now, 5 min, 30 min, 2 h, 12 h, ±20 %), honouring `Retry-After`. ' +
          'Verify a signature over the raw body before parsing it.',
        tags: ['Webhooks'],
        // CareOS calls the receiver with no credential of the receiver's: the signature headers
        // below are what the receiver checks.
        security: [],
        parameters: WEBHOOK_HEADERS.map(([name, description]) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } })),
        requestBody: { required: true, content: { 'application/json': { schema: components.add(schema, 'output') } } },
        responses: {
          '2XX': { description: 'Received; any 2xx stops the retries' },
          default: { description: 'Anything else, or no answer within 10 s, is retried; `Retry-After` (seconds or HTTP date) may ask for later' },
        },
      },
    };
  }
  return items;
}

/** The contract's version, stamped at build time. */
export const CONTRACT_VERSION = '0.1.0';

/**
 * Builds the OpenAPI 3.1 document of the API from the route table, so the served spec, the
 * docs and the SDK can never disagree with the server.
 */
export function buildOpenApi(options: BuildOpenApiOptions = {}): OpenApiDocument {
  const components = new Components();
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const route of options.routes ?? routeList) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, components);
    route.tags.forEach((tag) => tags.add(tag));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CareOS API',
      version: options.version ?? CONTRACT_VERSION,
      description:
        'Lead ingestion, therapist integration, CCaaS lookup, communications, calendars and care operations. ' +
        'Every error body is `{ error, code?, message?, details?, request_id }`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: options.serverUrl ?? 'https://api.careos.app', description: 'CareOS' }],
    tags: [...tags].map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    paths,
    webhooks: webhookItems(components),
    components: {
      schemas: components.schemas,
      securitySchemes: {
        partnerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Partner API key; send X-Platform too' },
        staffJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Token from POST /auth/login' },
        integrationJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Token from POST /api/integration/auth (one hour)' },
        lookupKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'CCaaS lookup API key (from POST /admin/lookup/keys)' },
        lookupKeyBearer: { type: 'http', scheme: 'bearer', description: 'The same lookup API key, as Authorization: Bearer <key>' },
        twilioSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Twilio-Signature',
          description: "Twilio's request signature: base64 HMAC-SHA1, keyed by the account's auth token, of the public URL followed by the form parameters sorted by name",
        },
        sendgridSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Twilio-Email-Event-Webhook-Signature',
          description: "SendGrid's signed Event Webhook: ECDSA P-256 / SHA-256 over X-Twilio-Email-Event-Webhook-Timestamp followed by the raw body",
        },
        googleChannelToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Goog-Channel-Token',
          description: 'The secret CareOS gave the Google Calendar watch channel named in X-Goog-Channel-ID, echoed by Google in every notification',
        },
      },
    },
  };
}
