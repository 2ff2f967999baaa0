/** Schemas of the therapist integration API (seed `loverescue-integration-api.md`) and its admin routes. */
export * from './admin.js';
export * from './alerts.js';
export * from './assign.js';
export * from './auth.js';
export * from './clients.js';
export * from './common.js';
export * from './dynamics.js';
export * from './outcomes.js';
export * from './progress.js';
export * from './session-prep.js';
