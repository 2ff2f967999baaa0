import { InboundLead, routes } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMPILE_AFTER, hotSchema } from './hot-schemas.js';

const lead = {
  source_platform: ' businessos ',
  source_conversation_id: 'c-1',
  user_phone_hash: 'a'.repeat(64),
  user_phone_encrypted: 'Y2lwaGVydGV4dA==',
  user_name: '  Ada  ',
  user_language: 'en',
  category: 'healthcare',
  original_message: 'I need a caregiver',
  ai_extracted_details: { urgency: 'high', extra_note: 'kept: the details object is loose' },
  user_consent: true,
  consent_timestamp: '2025-01-08T12:00:00Z',
  lead_value_agreed: 15,
  not_in_the_contract: 'dropped',
};

/** A schema's answer as the SDK reads it: parsed value, or every issue by path. */
function answer(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? { data: result.data } : { issues: result.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })) };
}

describe('hotSchema', () => {
  it('parses with the schema itself until its use count reaches COMPILE_AFTER, then with one compiled clone', () => {
    const schema = z.object({ name: z.string().trim().min(1) });
    for (let i = 1; i < COMPILE_AFTER; i++) expect(hotSchema(schema)).toBe(schema);
    const compiled = hotSchema(schema);
    expect(compiled).not.toBe(schema);
    expect(hotSchema(schema)).toBe(compiled);
    expect(compiled.parse({ name: ' x ' })).toEqual({ name: 'x' });
  });

  it('the compiled InboundLead trims, drops unknown keys and reports issues exactly as zod’s own parser', () => {
    for (let i = 1; i < COMPILE_AFTER; i++) hotSchema(InboundLead);
    const compiled = hotSchema(InboundLead);
    expect(compiled).not.toBe(InboundLead);
    const inputs: unknown[] = [
      lead,
      { ...lead, user_consent: false, lead_value_agreed: -1, consent_timestamp: 'yesterday', user_language: 'english' },
      { ...lead, category: '   ', ai_extracted_details: { urgency: 5 }, user_location_country: 'USA' },
      { ...lead, original_message: undefined, source_platform: 7 },
      null,
      'a lead',
    ];
    for (const input of inputs) expect(answer(compiled, input)).toEqual(answer(InboundLead, input));
    expect(answer(compiled, lead)).toMatchObject({ data: { source_platform: 'businessos', user_name: 'Ada' } });
    expect((answer(compiled, lead) as { data: object }).data).not.toHaveProperty('not_in_the_contract');
  });

  it('a compiled list query gives the same query values as zod’s own parser', () => {
    const query = routes.listPartnerLeads.query as z.ZodType;
    for (let i = 1; i < COMPILE_AFTER; i++) hotSchema(query);
    const compiled = hotSchema(query);
    for (const input of [{}, { limit: '50', cursor: 'abc' }, { limit: '0' }, { limit: 'many' }, { limit: 501 }]) {
      expect(answer(compiled, input)).toEqual(answer(query, input));
    }
  });
});
