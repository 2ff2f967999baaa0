// Type-checked, never run: an ESM TypeScript consumer of the installed tarballs (checked with
// `moduleResolution` nodenext and bundler).
import CareOS, { APIError, CareOS as NamedCareOS, type ClientOptions } from '@careos/sdk';
import { buildOpenApi, type InboundLead } from '@careos/contract';
import { verify, type VerifiedWebhook } from '@careos/webhook-verifier';
import { verifyAsync } from '@careos/webhook-verifier/web';
import { webhookMiddleware } from '@careos/webhook-verifier/express';
import { buildProgram, ExitCode } from '@careos/cli';
import { startServer, type RunningServer } from '@careos/server-reference';

const options: ClientOptions = { apiKey: 'key', platform: 'businessos' };
const client: NamedCareOS = new CareOS(options);
export const health: Promise<{ status: string }> = client.health.check();
export const lead: Pick<InboundLead, 'user_consent'> = { user_consent: true };
export const isApiError = (error: unknown): error is APIError => error instanceof APIError;
export const openapiVersion: string = buildOpenApi().openapi;
export const verified: string = verify('{}', {}, 'whsec_x');
export const verifiedAsync: Promise<string> = verifyAsync('{}', {}, 'whsec_x');
export const middleware = webhookMiddleware('whsec_x');
export type Event = VerifiedWebhook;
export const exitCode: number = ExitCode.USAGE;
export const program = buildProgram();
export const server: Promise<RunningServer> = startServer({ port: 0 });

// The types are real, not `any`: misuse is an error.
// @ts-expect-error maxRetries is a number
new CareOS({ maxRetries: 'three' });
