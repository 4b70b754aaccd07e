import { Router, type Request, type Response } from 'express';
import { isPimError, messageOf } from '../../core/errors.js';
import type { RunRecord } from '../../core/store.js';
import { undo, type UndoResult } from '../../sync/undo.js';
import { readBody } from '../body.js';
import { CsrfTokens, sameOrigin } from './csrf.js';
import { html, query, type Html } from './escape.js';
import { userCollections } from './load.js';
import type { ReviewDeps } from './deps.js';
import { page as tabPage, refuse, send } from './tab-page.js';

const FORM_LIMIT = 4 * 1024;
const page = (user: string, body: Html) => tabPage('runs', user, body);
const RUN_ID = /^r\d{8}-\d{6}-[0-9a-f]{6}$/;

/**
 * The review page's Runs tab (SPEC §3 `runs`/`undo`): `GET /review/runs` lists the runs
 * that touched only the user's collections, with their counts; `GET /review/undo?run=ID`
 * previews an undo (a dry run); `POST /review/undo` does it, with the same CSRF checks as
 * resolve. A run that touched another user's collection is neither shown nor undone.
 */
export function runsRoutes(deps: ReviewDeps, csrf: CsrfTokens, login: (req: Request, res: Response) => Promise<string | undefined>): Router {
  const router = Router();
  const own = async (user: string) => new Set((await userCollections(deps.store, user)).map((c) => c.name));
  const ownRun = async (user: string, id: unknown): Promise<RunRecord | undefined> => {
    if (typeof id !== 'string' || !RUN_ID.test(id)) return undefined;
    const run = await deps.store.getRun(id);
    const mine = await own(user);
    return run && run.collections.length > 0 && run.collections.every((c) => mine.has(c.name)) ? run : undefined;
  };
  const undoRun = (run: RunRecord, dryRun: boolean) =>
    undo({ store: deps.store, identity: deps.identity, target: { run: run.id }, deleteGuard: deps.config.deleteGuard, allowMassDelete: false, dryRun, by: 'review', now: deps.now() });

  router.get('/review/runs', async (req, res) => {
    const user = await login(req, res);
    if (!user) return;
    const mine = await own(user);
    const runs = (await deps.store.listRuns(100)).filter((r) => r.collections.length > 0 && r.collections.every((c) => mine.has(c.name)));
    const undone = typeof req.query.undone === 'string' && RUN_ID.test(req.query.undone) ? req.query.undone : undefined;
    send(res, req, page(user, html`${undone ? html`<section class="card notice" role="status">Run <code>${undone}</code> was undone as a run of its own (listed below). ${deps.syncInfo ? 'A sync is scheduled in a few seconds; it writes the result to every member.' : html`Run <code>pimhub sync</code> to write the result to every member.`}</section>` : ''}
<h2>Runs</h2>${runs.length === 0 ? html`<p class="muted">No runs of your collections yet.</p>` : html`<table><thead><tr><th>run</th><th>start (UTC)</th><th>trigger</th><th>what</th><th>changes</th><th></th></tr></thead><tbody>${runs.map(renderRun)}</tbody></table>`}`));
  });

  router.get('/review/undo', async (req, res) => {
    const user = await login(req, res);
    if (!user) return;
    const run = await ownRun(user, req.query.run);
    if (!run) return send(res.status(404), req, page(user, html`<p class="err">No such run among your collections.</p>`));
    try {
      const r = await undoRun(run, true);
      send(res, req, page(user, html`<h2>Undo run <code>${run.id}</code>?</h2>
<p class="small muted">${run.command ?? run.trigger} · started ${run.start.replace('T', ' ').slice(0, 19)} UTC. Nothing has changed yet: this is what the undo would do in the store; the next sync writes it to every member. A field changed again since the run keeps its newer value and is logged as a conflict you can resolve.</p>
${renderPreview(r)}
<form method="post" action="/review/undo"><input type="hidden" name="token" value="${csrf.issue(user, deps.now().getTime())}"><input type="hidden" name="run" value="${run.id}"><button type="submit"${r.items.every((i) => i.action === 'unchanged' || i.action === 'kept') ? ' disabled' : ''}>Undo this run</button> <a href="/review/runs">cancel</a></form>`));
    } catch (e) {
      send(res.status(409), req, page(user, html`<p class="err">This run cannot be undone: ${messageOf(e)}</p>`));
    }
  });

  router.post('/review/undo', async (req, res) => {
    const user = await login(req, res);
    if (!user) return;
    if (!sameOrigin(req.headers)) return refuse(res, 'this form was sent from another site');
    const form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    if (!csrf.verify(user, form.get('token'), deps.now().getTime())) {
      return refuse(res, 'the form has expired or did not come from this page; reload the page and try again');
    }
    const run = await ownRun(user, form.get('run'));
    if (!run) return send(res.status(404), req, page(user, html`<p class="err">No such run among your collections.</p>`));
    try {
      const mine = await own(user);
      // The items a run changed are named by its log; all of them must be this user's.
      const dry = await undoRun(run, true);
      if (dry.items.some((i) => !mine.has(i.collection))) return refuse(res, 'this run changed collections of another user');
      const r = await undoRun(run, false);
      for (const c of new Set(r.items.map((i) => i.collection))) deps.onWrite?.({ source: 'review', method: 'POST', user, collection: c });
      res.redirect(303, `/review/runs${query({ undone: run.id })}`);
    } catch (e) {
      if (!isPimError(e)) throw e;
      send(res.status(409), req, page(user, html`<p class="err">Run ${run.id} was not undone: ${messageOf(e)}</p>`));
    }
  });
  return router;
}

function renderRun(r: RunRecord): Html {
  const counts = r.collections.map((c) => {
    const parts = (['created', 'updated', 'merged', 'conflicts', 'deleted', 'restored', 'writes'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
    return `${c.name}: ${parts.join(', ') || 'no changes'}`;
  }).join('; ');
  return html`<tr><td class="nowrap"><code>${r.id}</code></td><td class="nowrap">${r.start.replace('T', ' ').slice(0, 19)}</td><td>${r.trigger}</td><td class="small">${r.command ?? ''}${r.end ? '' : ' (did not finish)'}</td><td class="small">${counts}</td><td><a href="/review/undo${query({ run: r.id })}">Undo this run…</a></td></tr>`;
}

function renderPreview(r: UndoResult): Html {
  if (r.items.length === 0) return html`<p class="muted">The run changed no item.</p>`;
  return html`<table><thead><tr><th>item</th><th>collection</th><th>undo would</th></tr></thead><tbody>${r.items.map((i) => html`<tr><td>${i.name}</td><td>${i.collection}</td><td>${i.action}${i.note ? html` <span class="muted small">(${i.note})</span>` : ''}${i.conflicts.map((c) => html`<div class="small">! <code>${c.field}</code> changed again since: keeps ${JSON.stringify(c.chosen)}</div>`)}</td></tr>`)}</tbody></table>
${r.links.length ? html`<p class="small">Member links moved back: ${r.links.map((l) => `${l.member} ${l.href}`).join(', ')}</p>` : ''}`;
}
