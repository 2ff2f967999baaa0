import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SandboxConsentError, SandboxOAuthError, type ClientCredentials } from '../services/calendar-sandbox/authorization.js';
import type { HttpKit } from './http-kit.js';
import { bindSandboxCalendarApi } from './sandbox-calendar-api.js';
import { sendConsentPage, sendSandboxErrorPage } from './sandbox-calendar-pages.js';

/** The cookie that binds a consent page to the browser it was shown in. */
const BROWSER_COOKIE = 'careos_sandbox_browser';
const FORM_LIMIT = '16kb';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The client's credentials: `client_secret_basic` or `client_secret_post`, never both (RFC 6749 §2.3). */
function clientCredentials(req: Request, form: URLSearchParams): ClientCredentials | null {
  const header = req.headers.authorization;
  const posted = form.get('client_id') !== null || form.get('client_secret') !== null;
  if (header?.startsWith('Basic ')) {
    if (posted) throw new SandboxOAuthError('invalid_request', 'Send the client credentials one way only');
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return null;
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? { id, secret } : null;
}

/** The form body as `URLSearchParams`; 400 `invalid_request` for another content type. */
function formOf(req: Request): URLSearchParams {
  if (!req.is('application/x-www-form-urlencoded') || typeof req.body !== 'object' || req.body === null) {
    throw new SandboxOAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
    if (typeof value !== 'string') throw new SandboxOAuthError('invalid_request', `${key} is repeated`);
    form.set(key, value);
  }
  return form;
}

/** Answers an OAuth endpoint's error as RFC 6749 §5.2 wants it; anything else goes to the error handler. */
function oauthJson(handler: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    handler(req, res).catch((error: unknown) => {
      if (!(error instanceof SandboxOAuthError)) return next(error);
      if (error.status === 401 && req.headers.authorization?.startsWith('Basic ')) res.setHeader('WWW-Authenticate', 'Basic realm="sandbox-calendar"');
      res.status(error.status).json({ error: error.error, error_description: error.description });
    });
  };
}

/** Shows a consent refusal as a page; anything else goes to the error handler. */
function consentPage(handler: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch((error: unknown) => (error instanceof SandboxConsentError ? sendSandboxErrorPage(res, 400, error.message) : next(error)));
  };
}

/**
 * The sandbox calendar provider's HTTP side, outside the API's route table (it plays a third
 * party, so it answers in OAuth's and Google's shapes, not the API's envelope): the consent page
 * and token and revocation endpoints under `/sandbox/calendar/oauth`, and the Google Calendar
 * API v3-shaped events API under `/sandbox/calendar/api`. While the sandbox is off every path
 * here falls through to the API's 404.
 */
export function bindSandboxCalendarRoutes(router: Router, kit: HttpKit): void {
  const { site, authorization } = kit.services.sandboxCalendar;
  const sandbox = express.Router();
  sandbox.use((_req: Request, _res: Response, next: NextFunction) => (site.enabled ? next() : next('router')));
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 50 });
  const secure = () => site.baseUrl()?.startsWith('https:') ?? false;

  sandbox.get(
    '/oauth/authorize',
    consentPage(async (req, res) => {
      const outcome = await authorization.authorize(req.query as Record<string, unknown>, cookie(req, BROWSER_COOKIE));
      if (outcome.kind === 'redirect') return res.redirect(302, outcome.location);
      const endpoints = site.endpoints()!;
      res.cookie(BROWSER_COOKIE, outcome.browser, { httpOnly: true, sameSite: 'strict', secure: secure(), path: new URL(endpoints.issuer).pathname, maxAge: 10 * 60 * 1000 });
      sendConsentPage(res, { appName: outcome.client.name, scope: outcome.scope, consentId: outcome.consentId, action: endpoints.authorization, redirectOrigin: new URL(outcome.client.redirectUri).origin });
    }),
  );

  sandbox.post(
    '/oauth/authorize',
    form,
    consentPage(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { consent, decision } = body;
      if (typeof consent !== 'string' || (decision !== 'allow' && decision !== 'deny')) throw new SandboxConsentError('The answer to the consent page was not understood. Start again from the application.');
      const outcome = await authorization.decide(consent, cookie(req, BROWSER_COOKIE), decision === 'allow');
      res.redirect(303, outcome.location);
    }),
  );

  sandbox.post(
    '/oauth/token',
    form,
    oauthJson(async (req, res) => {
      const params = formOf(req);
      res.json(await authorization.token(params, clientCredentials(req, params)));
    }),
  );

  sandbox.post(
    '/oauth/revoke',
    form,
    oauthJson(async (req, res) => {
      const params = formOf(req);
      await authorization.revoke(params, clientCredentials(req, params));
      res.status(200).json({});
    }),
  );

  bindSandboxCalendarApi(sandbox, kit);
  router.use('/sandbox/calendar', sandbox);
}
