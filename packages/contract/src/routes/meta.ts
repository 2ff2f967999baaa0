import { HealthResponse, ReadinessResponse } from '../schemas/health.js';
import { PublicKeyResponse } from '../schemas/keys.js';
import { defineRoute } from '../route.js';

/** Health, readiness and the public key partners encrypt phones with. */
export const metaRoutes = {
  health: defineRoute({
    id: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Service and database health',
    tags: ['Meta'],
    auth: 'none',
    // Probed every few seconds by load balancers; it touches no record and no credential.
    audit: false,
    status: 200,
    response: HealthResponse,
    errors: { 503: [] },
  }),

  readiness: defineRoute({
    id: 'readiness',
    method: 'GET',
    path: '/health/ready',
    summary: 'Whether this instance can serve, and which store counts rate limits',
    description:
      'For load balancers and orchestrators: 200 once start-up is done and the database answers, else 503. ' +
      '`rate_limits.store` is `redis` normally, `database` while Redis is unreachable (the instances share the ' +
      'database, so limits stay exact), `memory` without Redis.',
    tags: ['Meta'],
    auth: 'none',
    status: 200,
    response: ReadinessResponse,
    errors: { 503: [] },
  }),

  retrievePublicKey: defineRoute({
    id: 'retrievePublicKey',
    method: 'GET',
    path: '/api/keys/public',
    summary: 'Current phone-encryption public key and its key id',
    tags: ['Leads'],
    auth: 'none',
    status: 200,
    response: PublicKeyResponse,
    errors: { 503: [] },
  }),
} as const;
