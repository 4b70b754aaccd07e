import type { FieldDecision, LogEntry } from '../../core/store.js';
import { chosenIndexOf, resolvableFields } from './choices.js';
import { marked, sameValue } from './diff.js';
import { html, type Html } from './escape.js';
import type { EntryView } from './load.js';

/** What a resolve form carries besides the choice: the token and the filters to return to. */
export interface FormContext {
  token: string;
  filters: Record<string, string>;
}

/** One merge-log entry as a card: what happened, and for merges and conflicts each field side by side. */
export function renderEntry(v: EntryView, form: FormContext): Html {
  const e = v.entry;
  const fields = e.fields ?? [];
  const isConflict = e.action === 'conflict';
  const time = e.time.replace('T', ' ').slice(0, 19);
  return html`<article id="entry-${e.id}" class="entry">
<header><span class="badge a-${e.action}">${e.action}</span><span class="label">${v.label}</span>
<span class="muted small">#${e.id} · ${e.collection} · from ${e.connector} · <time datetime="${e.time}">${time} UTC</time></span></header>
${v.label !== e.uid ? html`<div class="uid">${e.uid}</div>` : ''}
${e.message ? html`<p class="small">${e.message}</p>` : ''}
${e.resolves !== undefined ? html`<p class="small">changes the decision of <a href="#entry-${e.resolves}">#${e.resolves}</a></p>` : ''}
${v.resolution ? html`<p class="small">decision changed later by <a href="#entry-${v.resolution.id}">#${v.resolution.id}</a></p>` : ''}
${fields.length === 0 ? '' : isConflict
    ? html`${fields.map((f) => renderField(f, v.resolution))}${renderChoices(v, form)}`
    : html`<details><summary>${fields.length} field${fields.length === 1 ? '' : 's'}</summary>${fields.map((f) => renderField(f, v.resolution))}${renderChoices(v, form)}</details>`}
</article>`;
}

/** Base, each member's value and the kept one, side by side (wrapping on a phone), changes marked. */
function renderField(f: FieldDecision, resolution: LogEntry | undefined): Html {
  const cells: Html[] = [html`<div class="cell base"><span class="who">base</span>${marked(f.base, f.base)}</div>`];
  const inForce = chosenIndexOf(f, resolution);
  f.values.forEach((val, i) => {
    const chosen = i === inForce;
    const note = chosen ? (resolution && inForce !== f.chosenIndex ? ` · kept (#${resolution.id})` : ' · kept') : i === f.chosenIndex ? ' · chosen first' : '';
    const cls = `cell${chosen ? ' chosen' : ''}${sameValue(val.value, f.base) ? '' : ' changed'}`;
    cells.push(html`<div class="${cls}"><span class="who">${val.connector}${note}</span>${marked(val.value, f.base)}</div>`);
  });
  if (f.chosenIndex < 0) {
    cells.push(html`<div class="cell chosen"><span class="who">result</span>${marked(f.chosen, f.base)}</div>`);
  }
  return html`<div class="field${f.conflict ? ' conflicting' : ''}"><h3>${f.field}${f.conflict ? ' — conflict' : ''}</h3><div class="cmp">${cells}</div></div>`;
}

function renderChoices(v: EntryView, form: FormContext): Html {
  const open = v.choices.filter((c) => !c.current);
  if (open.length === 0) return html``;
  const n = resolvableFields(v.entry).length;
  const what = n === 1 ? 'value' : `values (${n} fields)`;
  const hidden = Object.entries(form.filters).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`);
  return html`<div class="choices"><span class="small muted">Keep instead:</span>${open.map((c) => html`<form method="post" action="/review/resolve">
<input type="hidden" name="token" value="${form.token}"><input type="hidden" name="entry" value="${v.entry.id}"><input type="hidden" name="keep" value="${c.keep}">${hidden}
<button type="submit" class="keep" data-keep="${c.keep}">${/^\d+$/.test(c.keep) ? `Keep ${c.label}` : `Keep ${c.label}'s ${what}`}</button></form>`)}</div>`;
}
