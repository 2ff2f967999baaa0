// Type-checked, never run: a CommonJS TypeScript consumer (nodenext), through both import forms.
import CareOS, { APIError } from '@careos/sdk';
import sdk = require('@careos/sdk');
import verifier = require('@careos/webhook-verifier');

export const client: CareOS = new CareOS({ apiKey: 'key', platform: 'businessos' });
export const same: sdk.CareOS = new sdk.CareOS({ apiKey: 'key' });
export const isApiError = (error: unknown): error is APIError => error instanceof sdk.APIError;
export const verified: string = verifier.verify('{}', {}, 'whsec_x');

// @ts-expect-error maxRetries is a number
new sdk.default({ maxRetries: 'three' });
