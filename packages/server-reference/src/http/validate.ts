import { ErrorCode, ErrorText, LOOKUP_PHONE_REQUIRED_MESSAGE, missingFieldsMessage, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { ErrorDetailItem } from '../domain/errors.js';
import { unsafeJson, unsafeMessage } from './body-guards.js';
import { requestContext } from './context.js';
import { HttpError, invalid } from './errors.js';

const ERROR_TEXTS = new Set<string>(Object.values(ErrorText));

/** Error codes for the contract's error strings that have a code of their own. */
const CODE_BY_TEXT: Record<string, string> = { [ErrorText.consentRequired]: ErrorCode.CONSENT_REQUIRED };

/** The seeds' own `message` for some contract error strings, by the request part at fault. */
const HINTS: Record<string, Partial<Record<'query' | 'body', string>>> = {
  [ErrorText.phoneRequired]: { query: LOOKUP_PHONE_REQUIRED_MESSAGE, body: 'Please provide a phone number in the JSON body: {"phone": "+391234567890"}' },
  [ErrorText.invalidPhone]: { query: 'Send one phone number, e.g. ?phone=%2B390622224444', body: 'Send one phone number as a string, e.g. {"phone": "+390622224444"}' },
};

/**
 * The 400 of an issue whose message is one of the contract's error strings: that string as
 * `error`, with its code and the seed's hint when it has one.
 */
function contractError(issue: z.core.$ZodIssue, part: 'query' | 'body', input: unknown): HttpError {
  const path = pathOf(issue, `(${part})`);
  return new HttpError(400, {
    error: issue.message,
    code: CODE_BY_TEXT[issue.message] ?? ErrorCode.VALIDATION_FAILED,
    message: HINTS[issue.message]?.[part] ?? `${path}: ${describeIssue(issue, input)}`,
    details: details([issue], `(${part})`, input),
  });
}

/** The value at an issue's path in what was validated (zod 4 issues do not carry it). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * A readable message for one zod issue, for `details`. "Required" only when the value is
 * really absent from `input` (what was validated): a present value of the wrong type keeps
 * the schema's own message, e.g. `?limit=abc` says what a limit must be.
 */
export function describeIssue(issue: z.core.$ZodIssue, input?: unknown): string {
  if (issue.code === 'invalid_value' && issue.values.length === 1) return `Must be ${JSON.stringify(issue.values[0])}`;
  if (issue.code === 'invalid_format' && issue.format === 'datetime') return 'Must be an ISO 8601 timestamp such as 2025-01-08T12:00:00Z';
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return 'Required';
  return issue.message;
}

function pathOf(issue: z.core.$ZodIssue, fallback: string): string {
  return issue.path.length ? issue.path.map(String).join('.') : fallback;
}

function details(issues: z.core.$ZodIssue[], fallback: string, input: unknown): ErrorDetailItem[] {
  return issues.slice(0, 20).map((issue) => ({ path: pathOf(issue, fallback), message: describeIssue(issue, input) }));
}

/** Top-level fields a body schema requires (cached per schema). */
const requiredCache = new WeakMap<z.ZodType, string[]>();
function requiredFields(schema: z.ZodType): string[] {
  let fields = requiredCache.get(schema);
  if (!fields) {
    fields = schema instanceof z.ZodObject ? Object.entries(schema.shape as Record<string, z.ZodType>).filter(([, s]) => !s.safeParse(undefined).success).map(([k]) => k) : [];
    requiredCache.set(schema, fields);
  }
  return fields;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Validates a body against its schema, shaping the error the way the seeds do:
 * 1. required top-level fields that are absent, null or empty → the seed's
 *    "Missing required fields: a or b" (`VALIDATION_FAILED`), unless one of them has its own
 *    documented error for being blank, which then wins;
 * 2. otherwise an issue whose message is one of the contract's error strings (e.g.
 *    "User consent required") → that string as `error`, with its code;
 * 3. anything else → "Invalid request body" with field details.
 */
export function validateBody(schema: z.ZodType, received: unknown): unknown {
  // No body at all reads as an empty object: every required field is then missing.
  const body = received === undefined ? {} : received;
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const special = (field: string) => issues.some((i) => i.path[0] === field && ERROR_TEXTS.has(i.message));
    const blank = requiredFields(schema).filter((field) => isBlank(record[field]));
    const missing = blank.filter((field) => !special(field));
    // A blank field with its own documented error (the integration seed's "apiKey and apiSecret
    // are required") reports that error first, as the seed's own checks run in that order.
    if (missing.length && missing.length === blank.length) {
      throw new HttpError(400, {
        error: missingFieldsMessage(missing),
        code: ErrorCode.VALIDATION_FAILED,
        details: missing.map((path) => ({ path, message: 'Required' })),
      });
    }
  } else {
    throw invalid('body', 'The body must be a JSON object', [{ path: '(body)', message: 'Expected a JSON object' }]);
  }
  const contractIssue = issues.find((i) => ERROR_TEXTS.has(i.message));
  if (contractIssue) throw contractError(contractIssue, 'body', body);
  throw invalid('body', issues.length === 1 ? `${pathOf(issues[0]!, '(body)')}: ${describeIssue(issues[0]!, body)}` : 'Some fields are invalid', details(issues, '(body)', body));
}

function checkPart(part: 'params' | 'query' | 'headers', schema: z.ZodObject | undefined, value: Record<string, unknown>): unknown {
  // A part the route does not declare is never read, so nothing in it can be refused.
  if (!schema) return undefined;
  const reason = unsafeJson(value);
  if (reason) throw invalid(part, unsafeMessage(reason));
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A query value can fail with one of the contract's own error strings (the lookup's "Phone number is required").
  const contractIssue = part === 'query' ? result.error.issues.find((i) => ERROR_TEXTS.has(i.message)) : undefined;
  if (contractIssue) throw contractError(contractIssue, 'query', value);
  const issues = result.error.issues;
  throw invalid(part, issues.length === 1 ? `${pathOf(issues[0]!, part)}: ${describeIssue(issues[0]!, value)}` : 'Some values are invalid', details(issues, part, value));
}

/** The request headers a route declares (names are lower case in both). */
function declaredHeaders(schema: z.ZodObject | undefined, req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!schema) return out;
  for (const name of Object.keys(schema.shape)) if (req.headers[name] !== undefined) out[name] = req.headers[name];
  return out;
}

/** Validates params, query, headers and body of a route, storing the parsed values in the context. */
export function validateRequest(route: RouteSpec) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ctx = requestContext(res);
    ctx.input = {
      params: checkPart('params', route.params, { ...req.params }),
      query: checkPart('query', route.query, { ...(req.query as Record<string, unknown>) }),
      headers: checkPart('headers', route.headers, declaredHeaders(route.headers, req)),
      body: route.body ? validateBody(route.body, req.body) : undefined,
    };
    next();
  };
}
