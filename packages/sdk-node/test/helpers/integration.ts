import type { RecordedRequest } from './server.js';

/** Integration credentials shaped like the server's: `int_<env>_…` key, `sk_<env>_…` secret. */
export const integrationCredentials = {
  apiKey: 'int_test_Qx7Lm2Vb9Kd4Rt6Yp1Zs8Nc3Hf5Jw0Ae',
  apiSecret: 'sk_test_Wq3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5Nm7',
  therapistId: '550e8400-e29b-41d4-a716-446655440000',
} as const;

/** Path of the token exchange. */
export const AUTH_PATH = '/api/integration/auth';

/** A JWT-shaped token (header.payload.signature), numbered, so that logs tests see what a real one looks like. */
export function fakeJwt(n: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: `therapist-${n}`, n })}.${Buffer.from(`signature-${n}-padding`).toString('base64url')}`;
}

/** The bearer token a recorded request carried, or `undefined`. */
export function bearer(request: RecordedRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/** One alert as the integration API returns it. */
export function alert(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `alert_${n}`,
    clientId: 'client_1',
    client: { id: 'client_1', firstName: 'Jane', lastName: 'Doe' },
    alertType: 'RISK',
    severity: 'HIGH',
    message: `Alert ${n}`,
    metadata: {},
    readAt: null,
    createdAt: '2026-02-11T10:00:00.000Z',
    ...overrides,
  };
}
