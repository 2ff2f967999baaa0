import { ErrorCode, ErrorText, type RouteSpec } from '@careos/contract';
import type { KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server-config.js';
import type { Clock } from '../domain/clock.js';
import { parseSendGridPublicKey, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER, verifySendGridSignature } from '../providers/sendgrid-signature.js';
import { verifyTwilioSignature } from '../providers/twilio-signature.js';
import { requestContext } from './context.js';
import { HttpError } from './errors.js';
import { formFields, rawBodyOf } from './provider-body.js';

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** What checks a calendar push notification's channel and secret. */
export interface ChannelVerifier {
  /** The integration of the live channel `channelId` when `secret` is its secret, else null. */
  verify(provider: 'google' | 'microsoft', channelId: string, secret: string): Promise<string | null>;
}

/** A Google notification names a live channel with its token, or is refused (403) before anything else. */
async function verifyGoogleChannel(channels: ChannelVerifier | undefined, req: Request): Promise<void> {
  const id = header(req, 'x-goog-channel-id');
  const token = header(req, 'x-goog-channel-token');
  if (!id || !token) throw refused('X-Goog-Channel-ID and X-Goog-Channel-Token are required');
  if (!channels || !(await channels.verify('google', id, token))) throw refused('X-Goog-Channel-Token does not match a live channel');
}

/**
 * Graph's validation handshake (`?validationToken=`, no body) carries no secret and is let
 * through: answering it only echoes the token. Any other request must be a batch whose every
 * notification names a live subscription with its `clientState`.
 */
async function verifyGraphItems(channels: ChannelVerifier | undefined, req: Request): Promise<void> {
  if (typeof req.query.validationToken === 'string' && req.query.validationToken !== '') return;
  let items: unknown;
  try {
    items = (JSON.parse(rawBodyOf(req).toString('utf8')) as { value?: unknown }).value;
  } catch {
    items = undefined;
  }
  if (!Array.isArray(items) || items.length === 0 || items.length > 1000) throw refused('A batch of notifications, each with subscriptionId and clientState, is required');
  for (const item of items as { subscriptionId?: unknown; clientState?: unknown }[]) {
    const ok = typeof item?.subscriptionId === 'string' && typeof item.clientState === 'string' && channels && (await channels.verify('microsoft', item.subscriptionId, item.clientState));
    if (!ok) throw refused('clientState does not match a live subscription');
  }
}

function refused(message: string): HttpError {
  return new HttpError(403, { error: ErrorText.invalidSignature, code: ErrorCode.INVALID_SIGNATURE, message });
}

/**
 * Checks the signatures of provider callbacks (`twilioSignature`, `sendgridSignature` routes)
 * over the raw body read by `readRawBody`. Anything short of a valid signature is a 403 before
 * the body is even parsed: a missing or wrong signature, a stale SendGrid timestamp, or a
 * provider this server has no key for.
 */
export class ProviderSignatures {
  readonly #sendgridKey: KeyObject | null;

  constructor(
    private readonly config: ServerConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Checks a calendar notification's channel secret against the stored channel (`CalendarPush.verify`). */
    private readonly channels?: ChannelVerifier,
  ) {
    const key = config.providerWebhooks.sendgridPublicKey;
    this.#sendgridKey = key === null ? null : parseSendGridPublicKey(key);
  }

  /**
   * The URL Twilio signed: the configured public base (behind a proxy the server sees another
   * scheme and host) followed by the path and query as received; without one, the request's
   * own URL.
   */
  twilioUrl(req: Request): string {
    const base = this.config.providerWebhooks.twilioBaseUrl ?? `${req.protocol}://${header(req, 'host') ?? 'localhost'}`;
    return `${base}${req.originalUrl}`;
  }

  /** Throws a 403 unless the request carries a valid signature for `route`'s scheme. */
  verify(route: RouteSpec, req: Request): void {
    if (route.auth === 'twilioSignature') this.#twilio(req);
    else if (route.auth === 'sendgridSignature') this.#sendgrid(req);
    else throw new Error(`${route.id} is not signed by a provider`);
  }

  /** Express middleware verifying `route`'s provider signature. */
  middleware(route: RouteSpec) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (route.auth === 'googleChannelToken' || route.auth === 'graphClientState') {
        // The channel's secret is stored (sealed), so this check reads the database.
        (route.auth === 'googleChannelToken' ? verifyGoogleChannel(this.channels, req) : verifyGraphItems(this.channels, req)).then(
          () => next(),
          (error: unknown) => {
            this.logger.warn({ req_id: requestContext(res).requestId, route: route.id, reason: (error as HttpError).fields?.message }, 'provider webhook refused');
            next(error);
          },
        );
        return;
      }
      try {
        this.verify(route, req);
        next();
      } catch (error) {
        // Ids only: the body is the provider's (phones, emails) and stays out of the log.
        this.logger.warn({ req_id: requestContext(res).requestId, route: route.id, reason: (error as HttpError).fields?.message }, 'provider webhook refused');
        next(error);
      }
    };
  }

  #twilio(req: Request): void {
    const token = this.config.twilio?.authToken;
    if (!token) throw refused('Twilio webhooks are not configured on this server (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)');
    const signature = header(req, 'x-twilio-signature');
    if (!signature) throw refused('X-Twilio-Signature is missing');
    if (!verifyTwilioSignature(token, this.twilioUrl(req), formFields(rawBodyOf(req)), signature)) {
      throw refused('X-Twilio-Signature does not match the request (is CAREOS_PUBLIC_URL the URL Twilio was given?)');
    }
  }

  #sendgrid(req: Request): void {
    if (!this.#sendgridKey) throw refused('SendGrid event webhooks are not configured on this server (SENDGRID_WEBHOOK_PUBLIC_KEY)');
    const check = verifySendGridSignature(this.#sendgridKey, rawBodyOf(req), header(req, SENDGRID_SIGNATURE_HEADER), header(req, SENDGRID_TIMESTAMP_HEADER), {
      toleranceMs: this.config.providerWebhooks.sendgridMaxAgeMs,
      now: () => this.clock.now().getTime(),
    });
    if (check.ok) return;
    const messages = {
      missing_headers: 'X-Twilio-Email-Event-Webhook-Signature and X-Twilio-Email-Event-Webhook-Timestamp are required',
      bad_timestamp: 'X-Twilio-Email-Event-Webhook-Timestamp must be Unix seconds',
      stale_timestamp: 'The signed timestamp is too far from now',
      bad_signature: 'The signature does not match the body',
    };
    throw refused(messages[check.reason]);
  }
}
