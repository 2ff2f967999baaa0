import { describe, expect, expectTypeOf, it } from 'vitest';
import { ErrorText } from '../errors.js';
import { buildOpenApi } from '../openapi.js';
import type { RouteAlternative, RouteOutcome, RouteResponse } from '../route.js';
import { routes } from '../routes.js';
import {
  CreateLookupCaseRequest,
  LookupFound,
  LookupNotFound,
  LookupQuery,
  LookupRequest,
  SEED_LOOKUP_FOUND,
  SEED_LOOKUP_NOT_FOUND,
  lookupNotFoundMessage,
  type LookupResult,
} from './lookup.js';

const messages = (result: { error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('lookup schemas', () => {
  it("take the seed's documented bodies verbatim", () => {
    expect(LookupFound.parse(SEED_LOOKUP_FOUND)).toEqual(SEED_LOOKUP_FOUND);
    expect(LookupNotFound.parse(SEED_LOOKUP_NOT_FOUND)).toEqual(SEED_LOOKUP_NOT_FOUND);
    expect(lookupNotFoundMessage(SEED_LOOKUP_NOT_FOUND.phone)).toBe(SEED_LOOKUP_NOT_FOUND.message);
  });

  it("reports a missing or blank phone with the seed's text, and a non-string as an invalid phone", () => {
    for (const value of [{}, { phone: '' }, { phone: '   ' }, { phone: null }]) {
      expect(messages(LookupRequest.safeParse(value))).toEqual([ErrorText.phoneRequired]);
    }
    expect(messages(LookupQuery.safeParse({ phone: ['+39', '+39'] }))).toEqual([ErrorText.invalidPhone]);
    expect(messages(LookupRequest.safeParse({ phone: 'x'.repeat(200) }))).toEqual([ErrorText.invalidPhone]);
  });

  it('keeps the phone exactly as received (a leading space is an unencoded +)', () => {
    expect(LookupQuery.parse({ phone: ' 391234567890' }).phone).toBe(' 391234567890');
  });

  it('needs exactly one of patient_id and patient, and a phone for a new patient', () => {
    const base = { status: 'NUOVO' };
    expect(CreateLookupCaseRequest.safeParse(base).success).toBe(false);
    expect(CreateLookupCaseRequest.safeParse({ ...base, patient_id: '1', patient: { name: 'A', phone: '+39 06 1' } }).success).toBe(false);
    expect(CreateLookupCaseRequest.safeParse({ ...base, patient: { name: 'A' } }).success).toBe(false);
    expect(CreateLookupCaseRequest.safeParse({ ...base, patient: { name: 'A', cell_phone: '+39 333 1' } }).success).toBe(true);
  });

  it('types the 404 as an alternative outcome of both lookup routes', () => {
    expectTypeOf<RouteResponse<typeof routes.lookupPhone>>().toEqualTypeOf<LookupFound>();
    expectTypeOf<RouteAlternative<typeof routes.lookupPhone>>().toEqualTypeOf<LookupNotFound>();
    expectTypeOf<RouteOutcome<typeof routes.lookupPhonePost>>().toEqualTypeOf<LookupResult>();
    expectTypeOf<RouteAlternative<typeof routes.ingestLead>>().toBeNever();
    expect(routes.lookupPhone.alternatives[404].response).toBe(LookupNotFound);
    expect(routes.lookupPhone.errors).not.toHaveProperty('404');
  });

  it('documents the lookup in OpenAPI: either key header, the 404 body, the rate limit', () => {
    const doc = buildOpenApi();
    expect(doc.components.securitySchemes.lookupKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(doc.components.securitySchemes.lookupKeyBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const get = doc.paths['/api/lookup']!.get as any;
    const post = doc.paths['/api/lookup']!.post as any;
    for (const op of [get, post]) {
      expect(op.security).toEqual([{ lookupKey: [] }, { lookupKeyBearer: [] }]);
      expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/LookupFound' });
      expect(op.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/LookupNotFound' });
      expect(op.responses['404'].headers['X-RateLimit-Limit']).toBeDefined();
      expect(op.responses['400'].description).toContain('Phone number is required');
      expect(op.responses['401'].description).toContain('Unauthorized');
      expect(op.responses['429'].headers['Retry-After']).toBeDefined();
    }
    expect(get.parameters).toContainEqual(expect.objectContaining({ name: 'phone', in: 'query', required: true }));
    expect((doc.components.schemas.LookupFound as any).examples).toEqual([SEED_LOOKUP_FOUND]);
  });
});
