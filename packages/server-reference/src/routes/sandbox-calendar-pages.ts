import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** The pages' only style, allowed by its hash so the CSP needs no `'unsafe-inline'`. */
const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0003}
h1{font-size:1.4rem;margin:.5rem 0 1rem}.badge{display:inline-block;margin:0;padding:.1rem .6rem;border-radius:99px;background:#fff4ce;color:#5c4400;font-size:.85rem}
code{background:#eef0f3;padding:0 .25rem;border-radius:4px}.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;padding:.6rem 1.4rem;border-radius:6px;border:2px solid #0b57d0;cursor:pointer}
button[value=allow]{background:#0b57d0;color:#fff}button[value=deny]{background:#fff;color:#0b57d0}
button:focus-visible{outline:3px solid #1b1f24;outline-offset:2px}`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** HTML-escapes text (every value the pages show comes from the server, and is escaped anyway). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** What each scope lets the client do, in words for the consent page. */
const SCOPE_WORDS: Record<string, string> = { calendar: 'See, create, change and delete events on your sandbox calendar' };

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}

/**
 * Sends a sandbox page with a strict policy: no script at all, the one style by hash, forms only
 * to this server and the client's redirect origin (browsers check the redirect a form answer
 * leads to), never framed (a consent page in a frame invites clickjacking), not cached.
 */
function send(res: Response, status: number, html: string, formTargets: readonly string[] = []): void {
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src ${STYLE_HASH}; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'; base-uri 'none'`.replace(/ ;/g, ';'));
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).type('html').send(html);
}

/** What the consent page shows: all of it from the server (the client's registration, ids it made). */
export interface ConsentPage {
  appName: string;
  scope: string;
  consentId: string;
  /** Absolute URL the form posts to. */
  action: string;
  /** Origin of the client's redirect URI, where the answer sends the browser. */
  redirectOrigin: string;
}

/** Sends the consent page: who asks, for what, with Allow and Deny. */
export function sendConsentPage(res: Response, view: ConsentPage): void {
  const app = escapeHtml(view.appName);
  const can = view.scope
    .split(' ')
    .map((scope) => `<li>${escapeHtml(SCOPE_WORDS[scope] ?? scope)} (<code>${escapeHtml(scope)}</code>)</li>`)
    .join('');
  send(
    res,
    200,
    page(
      `Sandbox calendar: allow ${view.appName}?`,
      `<p class="badge">Sandbox calendar · local development</p>` +
        `<h1 id="consent-title">${app} wants to access your sandbox calendar</h1>` +
        `<p id="consent-what">If you allow it, ${app} can:</p><ul aria-labelledby="consent-what">${can}</ul>` +
        `<p>A new sandbox calendar with a few demo events is made for this connection. No real account is involved.</p>` +
        `<form method="post" action="${escapeHtml(view.action)}" aria-labelledby="consent-title">` +
        `<input type="hidden" name="consent" value="${escapeHtml(view.consentId)}">` +
        `<div class="actions"><button type="submit" name="decision" value="allow">Allow</button>` +
        `<button type="submit" name="decision" value="deny">Deny</button></div></form>`,
    ),
    [view.redirectOrigin],
  );
}

/** Sends a refusal the person must read (never a redirect: the request could not be trusted with one). */
export function sendSandboxErrorPage(res: Response, status: number, message: string): void {
  send(res, status, page('Sandbox calendar: request refused', `<p class="badge">Sandbox calendar · local development</p><h1>This request cannot be completed</h1><p role="alert">${escapeHtml(message)}</p>`));
}
