import { describe, expect, it } from 'vitest';
import { SEED_CURL_LEAD, SEED_EXAMPLE_LEAD } from './examples.js';
import { buildOpenApi } from './openapi.js';
import { InboundLead } from './schemas/leads.js';

describe('seed examples', () => {
  it('are valid inbound leads exactly as written', () => {
    expect(InboundLead.parse(SEED_EXAMPLE_LEAD)).toMatchObject(SEED_EXAMPLE_LEAD);
    expect(InboundLead.parse(SEED_CURL_LEAD)).toMatchObject(SEED_CURL_LEAD);
  });

  it('appear as the documented example of the InboundLead schema', () => {
    const schema = buildOpenApi().components.schemas.InboundLead as { examples?: unknown[] };
    expect(schema.examples).toEqual([SEED_EXAMPLE_LEAD]);
  });
});
