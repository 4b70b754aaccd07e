import type { LogEntry, QuarantineRecord } from '../../core/store.js';
import { collectionHref, principalHref } from '../paths.js';
import { Html, html, query } from './escape.js';
import { ACTIONS, PAGE_SIZES, type CollectionView, type ReviewData, type ReviewQuery } from './load.js';
import { renderEntry, type FormContext } from './render-entry.js';
import { CSS } from './style.js';

/** What the process running the page says about syncs (the daemon's scheduler; nothing under `pimhub serve`). */
export interface SyncInfo {
  running: boolean;
  lastRun?: { finishedAt: string; ok: boolean };
  nextRun?: string;
  schedule?: string;
}

export interface Notice {
  kind: 'ok' | 'error';
  /** Built from the store's own records, never from the request. */
  body: Html;
}

export interface PageInput {
  data: ReviewData;
  token: string;
  /** `http://host:port` as the browser reached us, for the client URLs. */
  origin: string;
  sync?: SyncInfo;
  notice?: Notice;
}

/** The filters as form fields / query parameters (defaults left out). */
export function filtersOf(q: ReviewQuery): Record<string, string> {
  const f: Record<string, string> = {};
  if (q.collection) f.collection = q.collection;
  if (q.action) f.action = q.action;
  if (q.q) f.q = q.q;
  if (q.limit !== PAGE_SIZES[0]) f.limit = String(q.limit);
  return f;
}

export function renderPage(p: PageInput): string {
  const d = p.data;
  const form: FormContext = { token: p.token, filters: filtersOf(d.query) };
  const conflicts = d.entries.filter((e) => e.entry.action === 'conflict' && !e.resolution).length;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pimhub — merge log</title><link rel="icon" href="data:,"><style>${new Html(CSS)}</style></head>
<body>
<header><h1>pimhub · merge log</h1><span class="who">signed in as ${d.user} · <a href="/review/runs">runs</a> · <a href="/review/duplicates">duplicates</a></span></header>
<main>
${p.notice ? html`<section class="card notice${p.notice.kind === 'error' ? ' error' : ''}" role="status">${p.notice.body}</section>` : ''}
${renderSync(p.sync)}
<h2>Members</h2>
${d.collections.length === 0 ? html`<p class="muted">No collections belong to ${d.user}: set <code>owner: ${d.user}</code> on a collection in the config.</p>` : html`<div class="status">${d.collections.map(renderStatus)}</div>`}
${d.quarantine.length ? renderQuarantine(d.quarantine) : ''}
<h2 id="log">Merge log${conflicts ? html` <span class="badge a-conflict">${conflicts} open conflict${conflicts === 1 ? '' : 's'}</span>` : ''}</h2>
${renderFilters(d)}
${d.entries.length === 0 ? html`<p class="muted">No entries${d.query.q || d.query.action || d.query.collection ? ' match these filters' : ' yet: they appear after the first sync'}.</p>` : d.entries.map((e) => renderEntry(e, form))}
${d.more ? renderMore(d) : ''}
${renderConnect(d, p.origin)}
</main></body></html>
`.text;
}

function renderSync(s: SyncInfo | undefined): Html {
  if (!s) {
    return html`<section class="card small">Syncs run with <code>pimhub sync</code> (this is <code>pimhub serve</code>; <code>pimhub daemon</code> syncs on a schedule and soon after each change).</section>`;
  }
  const last = s.lastRun ? html`last sync <time datetime="${s.lastRun.finishedAt}">${short(s.lastRun.finishedAt)}</time>${s.lastRun.ok ? '' : html` <span class="err">with errors</span>`}` : html`no sync yet`;
  return html`<section class="card small">Daemon: ${s.running ? html`<strong>syncing now</strong> · ` : ''}${last}${s.nextRun ? html` · next scheduled <time datetime="${s.nextRun}">${short(s.nextRun)}</time>` : ''}${s.schedule ? html` <span class="muted">(${s.schedule})</span>` : ''}</section>`;
}

function renderStatus(c: CollectionView): Html {
  return html`<section class="card"><strong>${c.col.displayName ?? c.col.name}</strong> <span class="muted small">${c.col.kind === 'contacts' ? 'address book' : 'calendar'} · ${c.items} item${c.items === 1 ? '' : 's'} · last sync ${c.lastSync ? short(c.lastSync) : 'never'}</span>
<table><thead><tr><th>member</th><th class="num">items</th><th>last sync (UTC)</th><th class="num">errors</th></tr></thead><tbody>
${c.members.map((m) => html`<tr><td>${m.member}</td><td class="num">${m.items}</td><td class="nowrap">${m.lastSync ? html`<time datetime="${m.lastSync}">${m.lastSync.slice(5, 16).replace('T', ' ')}</time>` : 'never'}</td><td class="num${m.errors ? ' err' : ''}">${m.errors}${m.quarantined ? html` · ${m.quarantined}q` : ''}</td></tr>
${m.lastError ? html`<tr><td colspan="4" class="err small">${m.lastError}</td></tr>` : ''}`)}
</tbody></table></section>`;
}

function renderQuarantine(q: QuarantineRecord[]): Html {
  return html`<h2 id="quarantine">Quarantined <span class="badge a-quarantined">${q.length}</span></h2>
<p class="small muted">Items a member holds that could not be read. They are left alone there and never deleted elsewhere; fix or remove them at the source and the next sync picks them up.</p>
${q.map((r) => html`<article class="quarantine"><header><span class="badge a-quarantined">quarantined</span><span class="label">${r.member}</span><span class="muted small">${r.collection} · <time datetime="${r.time}">${short(r.time)}</time></span></header>
<div class="uid">${r.href}${r.where && r.where !== r.href ? html` · ${r.where}` : ''}</div>
<p class="err small">${r.message}</p>
${r.raw ? html`<details><summary>source text</summary><pre>${r.raw.length > 4000 ? `${r.raw.slice(0, 4000)}\n…` : r.raw}</pre></details>` : ''}
</article>`)}`;
}

function renderFilters(d: ReviewData): Html {
  const q = d.query;
  const opt = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? ' selected' : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/">
<label>collection<select name="collection">${opt('', 'all', !q.collection)}${d.collections.map((c) => opt(c.col.name, c.col.displayName ?? c.col.name, q.collection === c.col.name))}</select></label>
<label>action<select name="action">${opt('', 'all', !q.action)}${ACTIONS.map((a) => opt(a, a, q.action === a))}</select></label>
<label>text<input type="search" name="q" value="${q.q ?? ''}" placeholder="name, uid, value, member"></label>
<button type="submit">Filter</button>${q.collection || q.action || q.q ? html` <a href="/" class="small">clear</a>` : ''}
</form>`;
}

function renderMore(d: ReviewData): Html {
  const next = PAGE_SIZES.find((n) => n > d.query.limit);
  if (!next) return html`<nav class="more small muted">Only the newest ${d.query.limit} are shown; narrow the filters, or use <code>pimhub log --since</code>.</nav>`;
  return html`<nav class="more"><a href="/${query({ ...filtersOf(d.query), limit: next })}#log">Show up to ${next} entries</a></nav>`;
}

function renderConnect(d: ReviewData, origin: string): Html {
  return html`<h2>Connect a client</h2><section class="card small">
<p>CardDAV/CalDAV clients (Thunderbird, DAVx5, vdirsyncer) discover everything from <code>${origin}/</code> (or <code>${origin}/.well-known/carddav</code>); log in as ${d.user}.</p>
<ul><li>principal: <code>${origin}${principalHref(d.user)}</code></li>
${d.collections.map((c) => html`<li>${c.col.kind === 'contacts' ? 'address book' : 'calendar'} ${c.col.name}: <code>${origin}${collectionHref(d.user, c.col.name)}</code></li>`)}</ul>
</section>`;
}

/** A resolve that worked: what it kept, from the `resolved` entry itself. */
export function resolvedNotice(r: LogEntry, daemon: boolean): Notice {
  const kept = (r.fields ?? []).map((f) => html`<li><code>${f.field}</code> = ${typeof f.chosen === 'string' ? f.chosen : JSON.stringify(f.chosen)}</li>`);
  return {
    kind: 'ok',
    body: html`<strong>Entry #${r.resolves ?? '?'} changed</strong> (logged as <a href="#entry-${r.id}">#${r.id}</a>): <ul class="small">${kept}</ul>
${daemon ? 'A sync is scheduled in a few seconds; it writes this to every member.' : html`Run <code>pimhub sync</code> to write this to every member.`}`,
  };
}

function short(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 19)} UTC`;
}
