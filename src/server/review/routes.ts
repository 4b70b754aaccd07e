import { Router, type Request, type Response } from 'express';
import { isPimError, messageOf } from '../../core/errors.js';
import { resolveEntry } from '../../sync/resolve.js';
import { readBody } from '../body.js';
import { DavError, sendError } from '../dav-error.js';
import { CsrfTokens, sameOrigin } from './csrf.js';
import { html, query } from './escape.js';
import { loadReview, ownEntry, parseQuery, userCollections } from './load.js';
import { duplicatesRoutes } from './duplicates-page.js';
import { runsRoutes } from './runs-page.js';
import { filtersOf, renderPage, resolvedNotice, type Notice } from './render-page.js';
import { SECURITY_HEADERS } from './style.js';
import type { ReviewDeps } from './deps.js';

/** Who changed a decision on the page, in the log and the field sources (the CLI says `cli`). */
export const REVIEW_ACTOR = 'review';
const FORM_LIMIT = 16 * 1024;

/**
 * The review page (SPEC §5): `GET /` for a logged-in user, and `POST /review/resolve`, which
 * does what `pimhub resolve ENTRY --keep VALUE` does. Basic auth like the endpoint; every
 * other request falls through to the DAV handlers.
 */
export function reviewRoutes(deps: ReviewDeps): Router {
  const router = Router();
  const csrf = deps.csrf ?? new CsrfTokens();

  router.get('/', async (req, res) => {
    const user = await login(deps, req, res);
    if (!user) return;
    let notice: Notice | undefined;
    const resolved = typeof req.query.resolved === 'string' && /^\d{1,12}$/.test(req.query.resolved) ? Number(req.query.resolved) : undefined;
    if (resolved !== undefined) {
      const r = await ownEntry(deps.store, user, resolved);
      if (r?.action === 'resolved') notice = resolvedNotice(r, !!deps.syncInfo);
    }
    await sendPage(deps, req, res, user, req.query as Record<string, unknown>, csrf, notice);
  });

  router.post('/review/resolve', async (req, res) => {
    const user = await login(deps, req, res);
    if (!user) return;
    if (!sameOrigin(req.headers)) return refuse(res, 'this form was sent from another site');
    const form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    if (!csrf.verify(user, form.get('token'), deps.now().getTime())) {
      return refuse(res, 'the form has expired or did not come from this page; reload the page and try again');
    }
    const raw = Object.fromEntries(form.entries());
    const filters = filtersOf(parseQuery(raw, (await userCollections(deps.store, user)).map((c) => c.name)));
    const entryId = /^\d{1,12}$/.test(form.get('entry') ?? '') ? Number(form.get('entry')) : undefined;
    const keep = form.get('keep') ?? '';
    const entry = entryId === undefined ? undefined : await ownEntry(deps.store, user, entryId);
    if (!entry || !keep || keep.length > 200) {
      return sendPage(deps, req, res.status(404), user, raw, csrf, failure('No such log entry or choice among your collections.'));
    }
    try {
      const r = await resolveEntry({ store: deps.store, identity: deps.identity, entryId: entry.id, keep, by: REVIEW_ACTOR, now: deps.now() });
      if (!r.unchanged) deps.onWrite?.({ source: 'review', method: 'POST', user, collection: entry.collection });
      res.redirect(303, `/${query({ ...filters, resolved: r.id })}#entry-${r.id}`);
    } catch (e) {
      if (!isPimError(e, 'not-found') && !isPimError(e, 'invalid-data') && !isPimError(e, 'precondition-failed')) throw e;
      const status = isPimError(e, 'not-found') ? 404 : 409;
      const why = isPimError(e, 'precondition-failed') ? 'The item changed meanwhile; look at the newer entries and try again.' : messageOf(e);
      return sendPage(deps, req, res.status(status), user, raw, csrf, failure(`Entry #${entry.id} was not changed: ${why}`));
    }
  });
  router.use(runsRoutes(deps, csrf, (req, res) => login(deps, req, res)));
  router.use(duplicatesRoutes(deps, csrf, (req, res) => login(deps, req, res)));
  return router;
}

async function login(deps: ReviewDeps, req: Request, res: Response): Promise<string | undefined> {
  const user = await deps.auth.check(req.headers.authorization, req.socket.remoteAddress);
  if (user === undefined) {
    req.resume();
    sendError(res, new DavError(401, 'authentication required', undefined, { 'WWW-Authenticate': 'Basic realm="pimhub", charset="UTF-8"' }));
    return undefined;
  }
  res.setHeader('Vary', 'Authorization');
  return user;
}

async function sendPage(deps: ReviewDeps, req: Request, res: Response, user: string, raw: Record<string, unknown>, csrf: CsrfTokens, notice?: Notice): Promise<void> {
  const data = await loadReview({ store: deps.store, config: deps.config, user, raw });
  // Behind a TLS proxy the browser came by https: the client URLs shown should say so.
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim();
  const origin = `${forwarded === 'https' || forwarded === 'http' ? forwarded : req.protocol}://${req.get('x-forwarded-host')?.split(',')[0]?.trim() || req.get('host') || 'localhost'}`;
  const page = renderPage({ data, token: csrf.issue(user, deps.now().getTime()), origin, sync: deps.syncInfo?.(), notice });
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.type('text/html; charset=utf-8').send(req.method === 'HEAD' ? '' : page);
}

function refuse(res: Response, why: string): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.status(403).type('text/plain; charset=utf-8').send(`403 Forbidden: ${why}.\nNothing was changed.\n`);
}

function failure(text: string): Notice {
  return { kind: 'error', body: html`${text}` };
}
