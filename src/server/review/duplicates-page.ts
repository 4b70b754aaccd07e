import { Router, type Request, type Response } from 'express';
import { isPimError, messageOf } from '../../core/errors.js';
import type { StoredItem } from '../../core/store.js';
import { displayValue } from '../../merge/equality.js';
import { ICAL_RULES, VCARD_RULES, ruleFor } from '../../model/field-rules.js';
import type { Component } from '../../model/property.js';
import { findDuplicates, type DuplicateGroup } from '../../normalize/duplicates.js';
import { dismissDuplicates, dismissedPairs } from '../../sync/dismiss-duplicates.js';
import { mergeDuplicates } from '../../sync/merge-duplicates.js';
import { readBody } from '../body.js';
import { CsrfTokens, sameOrigin } from './csrf.js';
import { html, query, type Html } from './escape.js';
import { userCollections } from './load.js';
import type { ReviewDeps } from './deps.js';
import { page as tabPage, refuse, send } from './tab-page.js';

const FORM_LIMIT = 8 * 1024;
const page = (user: string, body: Html) => tabPage('duplicates', user, body);

/**
 * The review page's Duplicates tab: the candidate groups of the user's collections side by
 * side, field by field, rows that differ marked; `POST /review/merge` does what `pimhub merge`
 * does (first item survives), `POST /review/dismiss` remembers that they are no duplicates
 * (`pimhub duplicates --dismiss`); both with the same CSRF checks as resolve.
 */
export function duplicatesRoutes(deps: ReviewDeps, csrf: CsrfTokens, login: (req: Request, res: Response) => Promise<string | undefined>): Router {
  const router = Router();

  router.get('/review/duplicates', async (req, res) => {
    const user = await login(req, res);
    if (!user) return;
    const token = csrf.issue(user, deps.now().getTime());
    const parts: Html[] = [];
    for (const col of await userCollections(deps.store, user)) {
      const items = await deps.store.listItems(col.name);
      const byId = new Map(items.map((i) => [i.id, i] as const));
      const dismissed = await dismissedPairs(deps.store, col.name);
      for (const g of findDuplicates(items, { defaultRegion: deps.config.defaultRegion, dismissed })) parts.push(renderGroup(col.name, g, byId, token));
    }
    const merged = typeof req.query.merged === 'string' && /^\d{1,12}$/.test(req.query.merged) ? req.query.merged : undefined;
    const dismissed = typeof req.query.dismissed === 'string' && /^\d{1,4}$/.test(req.query.dismissed) ? req.query.dismissed : undefined;
    send(res, req, page(user, html`${merged ? html`<section class="card notice" role="status">Merged, logged as #${merged}. ${deps.syncInfo ? 'A sync is scheduled in a few seconds; it removes the redundant copies at every member.' : html`Run <code>pimhub sync</code> to remove the redundant copies at every member.`} <code>pimhub undo --entry ${merged}</code> splits them again.</section>` : ''}${dismissed ? html`<section class="card notice" role="status">Dismissed: these ${dismissed} items are no longer shown as duplicates of each other.</section>` : ''}
<h2>Duplicates</h2><p class="small muted">Items that look like one person or one event, strongest first. Merging keeps the first column's item and takes every value of the others (conflicting fields are decided by the <code>conflict</code> policy and logged).</p>
${parts.length ? parts : html`<p class="muted">No duplicates found.</p>`}`));
  });

  /** The user's items a checked form names (two or more of one of their collections), or undefined when it was refused. */
  async function formItems(req: Request, res: Response): Promise<{ user: string; ids: string[]; collection: string } | undefined> {
    const user = await login(req, res);
    if (!user) return undefined;
    if (!sameOrigin(req.headers)) return void refuse(res, 'this form was sent from another site');
    const form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    if (!csrf.verify(user, form.get('token'), deps.now().getTime())) {
      return void refuse(res, 'the form has expired or did not come from this page; reload the page and try again');
    }
    const ids = (form.get('items') ?? '').split(',').filter((x) => /^[\w-]{1,100}$/.test(x));
    const mine = new Set((await userCollections(deps.store, user)).map((c) => c.name));
    const items = await Promise.all(ids.map((id) => deps.store.getItem(id)));
    if (ids.length < 2 || items.some((i) => !i || !mine.has(i.collection))) {
      return void send(res.status(404), req, page(user, html`<p class="err">No such items among your collections.</p>`));
    }
    return { user, ids, collection: items[0]!.collection };
  }

  router.post('/review/dismiss', async (req, res) => {
    const f = await formItems(req, res);
    if (!f) return;
    try {
      const r = await dismissDuplicates(deps.store, f.ids, f.collection, deps.now());
      res.redirect(303, `/review/duplicates${query({ dismissed: r.items.length })}`);
    } catch (e) {
      if (!isPimError(e)) throw e;
      send(res.status(409), req, page(f.user, html`<p class="err">Not dismissed: ${messageOf(e)}</p>`));
    }
  });

  router.post('/review/merge', async (req, res) => {
    const f = await formItems(req, res);
    if (!f) return;
    const { user, ids, collection } = f;
    try {
      const r = await mergeDuplicates({
        store: deps.store, identity: deps.identity, policy: deps.config.conflict, refs: ids, collection,
        deleteGuard: deps.config.deleteGuard, allowMassDelete: false, dryRun: false, by: 'review', now: deps.now(),
      });
      deps.onWrite?.({ source: 'review', method: 'POST', user, collection: r.collection });
      res.redirect(303, `/review/duplicates${query({ merged: r.entry })}`);
    } catch (e) {
      if (!isPimError(e)) throw e;
      send(res.status(409), req, page(user, html`<p class="err">Not merged: ${messageOf(e)}</p>`));
    }
  });
  return router;
}

/** Field → readable values of one item (every element of a set field on its own line). */
function fieldsOf(item: StoredItem): Map<string, string[]> {
  const c: Component | undefined = item.item.kind === 'contact' ? item.item.card : item.item.master;
  const out = new Map<string, string[]>();
  if (!c) return out;
  const table = item.item.kind === 'contact' ? VCARD_RULES : ICAL_RULES;
  for (const p of c.props) {
    // Volatile (REV, PRODID) and vendor properties say nothing a person compares.
    if (p.name === 'uid' || ruleFor(table, p.name).kind === 'volatile' || p.name.startsWith('x-')) continue;
    out.set(p.name, [...(out.get(p.name) ?? []), displayValue([p]) ?? '']);
  }
  return out;
}

function renderGroup(collection: string, g: DuplicateGroup, byId: Map<string, StoredItem>, token: string): Html {
  const items = g.items.map((i) => byId.get(i.id)!);
  const cols = items.map(fieldsOf);
  const names = [...new Set(cols.flatMap((c) => [...c.keys()]))];
  const rows = names.map((name) => {
    const cells = cols.map((c) => (c.get(name) ?? []).slice().sort().join('\n'));
    const differs = new Set(cells).size > 1;
    return html`<tr${differs ? html` class="differs"` : ''}><th>${differs ? '≠ ' : ''}${name}</th>${cells.map((v) => html`<td><pre>${v}</pre></td>`)}</tr>`;
  });
  return html`<article class="card"><header><strong>${collection}</strong> · score ${g.score.toFixed(2)} · <span class="small">${g.evidence.join('; ')}</span></header>
<table><thead><tr><th></th>${g.items.map((i, n) => html`<th>${n === 0 ? 'keeps: ' : ''}${i.name}<div class="uid small muted">${i.uid}</div></th>`)}</tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/review/merge" class="inline"><input type="hidden" name="token" value="${token}"><input type="hidden" name="items" value="${g.items.map((i) => i.id).join(',')}"><button type="submit">Merge these ${g.items.length}</button></form>
<form method="post" action="/review/dismiss" class="inline"><input type="hidden" name="token" value="${token}"><input type="hidden" name="items" value="${g.items.map((i) => i.id).join(',')}"><button type="submit" class="secondary">Not duplicates</button></form>
</article>`;
}
