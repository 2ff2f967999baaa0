import { SEED_LOOKUP_FOUND } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { call } from './helpers/http.js';

describe('--seed for the lookup', () => {
  it('combines demo and lookup-scale in one start: the seed record stays case 9 among the generated cases', { timeout: 120_000 }, async () => {
    const server = await startServer({ port: 0, dataDir: null, seed: 'demo,lookup-scale=5000', env: {}, logger: false });
    try {
      expect(server.lookupScale).toMatchObject({ cases: 5000, patients: 4000, firstPatientId: 1000, lastPatientId: 4999 });
      expect(server.demoCredentials!.lookup.seedApiKey).toBe('your-api-key-here');
      const res = await call(server.url, 'POST', '/api/lookup', { json: { phone: SEED_LOOKUP_FOUND.phone_searched }, headers: { 'x-api-key': server.demoCredentials!.lookup.apiKey } });
      expect(res.body).toEqual(SEED_LOOKUP_FOUND);
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown seed before opening anything', async () => {
    await expect(startServer({ port: 0, dataDir: null, seed: 'lookup-scale=lots', env: {}, logger: false })).rejects.toThrow(/--seed/);
  });
});
