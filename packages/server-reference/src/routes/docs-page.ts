import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

/** The few swagger-ui-dist files the page needs; nothing else of the package is served. */
const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'] as const;

// Everything is served from the installed package, never a CDN: the reference server runs in
// sandboxes and CI machines that reach nothing but loopback.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>CareOS API reference</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="careos-api-reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A separate file rather than an inline script, so the page works under a strict
// Content-Security-Policy (script-src 'self').
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#careos-api-reference',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** `/docs`: an interactive API reference rendering `/openapi.json` with locally installed assets. */
export function bindDocsPage(router: Router): void {
  const assetsDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const allowed = new Set<string>(ASSETS);
  const assets = express.static(assetsDir, { index: false, fallthrough: false, maxAge: '1d', immutable: true });
  const security = (res: Response) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };

  router.get('/docs', (_req: Request, res: Response) => {
    security(res);
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req: Request, res: Response) => {
    security(res);
    res.type('application/javascript').send(INIT);
  });
  router.get('/docs/assets/:file', (req: Request, res: Response, next) => {
    if (!allowed.has(req.params.file as string)) {
      next();
      return;
    }
    security(res);
    req.url = `/${req.params.file}`;
    assets(req, res, next);
  });
}
