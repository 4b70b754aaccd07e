import { createHash } from 'node:crypto';

/**
 * The page's only style sheet, inline (one request, no cache games). The Content-Security-
 * Policy allows exactly this text by its hash, no script at all, and forms posting to this
 * site only: an escaping mistake would still not run anything.
 */
export const CSS = `
:root{--fg:#1d2330;--muted:#5d6678;--line:#d9dde5;--bg:#f6f7f9;--card:#fff;--accent:#2457c5;--bad:#b42318;--warn:#a15c00;--ok:#18794e;--mark:#ffe08a;--chosen:#e7f5ec}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1d2330;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:baseline}
header h1{font-size:1.1rem;margin:0}header .who{color:#c8cedb;font-size:.9rem}
main{max-width:72rem;margin:0 auto;padding:.75rem}
h2{font-size:1rem;margin:1.2rem 0 .5rem}
section.card,article{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem .8rem;margin:.5rem 0}
.notice{border-left:4px solid var(--ok)}.notice.error{border-left-color:var(--bad)}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);flex:1 1 9rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--fg)}
button{cursor:pointer;background:var(--accent);color:#fff;border-color:var(--accent)}
button.secondary{background:#fff;color:var(--accent)}
form.inline{display:inline-block;margin:0 .5rem 0 0}
.status{display:grid;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr));gap:.5rem}
.status table{width:100%;border-collapse:collapse;font-size:.88rem}
.status th,.status td{text-align:left;padding:.15rem .3rem;border-bottom:1px solid var(--line)}
.num{text-align:right!important;font-variant-numeric:tabular-nums}.nowrap{white-space:nowrap}
.err{color:var(--bad)}.muted{color:var(--muted)}.small{font-size:.82rem}
article header{all:unset;display:flex;flex-wrap:wrap;gap:.2rem .7rem;align-items:baseline}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .45rem;border-radius:999px;background:#eef0f4;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.a-conflict{background:#fde7e4;color:var(--bad)}.a-deleted{background:#fff1d6;color:var(--warn)}.a-quarantined{background:#f3e8ff;color:#6b21a8}
.a-created{background:#e3f4ea;color:var(--ok)}.a-resolved{background:#e0edff;color:var(--accent)}.a-merged{background:#e8eefc;color:#33489e}
.label{font-weight:600;overflow-wrap:anywhere}.uid{font-family:ui-monospace,monospace;font-size:.78rem;color:var(--muted);overflow-wrap:anywhere}
.field{margin:.5rem 0 0;border-top:1px dashed var(--line);padding-top:.4rem}
.field h3{font-size:.85rem;margin:0 0 .3rem;font-family:ui-monospace,monospace;overflow-wrap:anywhere}
.cmp{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.35rem}
.cell{border:1px solid var(--line);border-radius:6px;padding:.3rem .45rem;overflow-wrap:anywhere;white-space:pre-wrap}
.cell .who{display:block;font-size:.72rem;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em;white-space:normal}
.cell.base{background:#f3f4f6}.cell.changed{border-color:#e0b84a}.cell.chosen{background:var(--chosen);border-color:var(--ok)}
mark{background:var(--mark);padding:0 1px;border-radius:2px}
tr.differs th,tr.differs td{background:#fff6d6}
em.none{color:var(--muted)}
.choices{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.5rem;align-items:center}
.choices form{margin:0}
details>summary{cursor:pointer;color:var(--accent)}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.78rem;background:#f3f4f6;padding:.4rem;border-radius:6px;max-height:14rem;overflow:auto}
code{font-size:.85em;overflow-wrap:anywhere}
nav.more{margin:1rem 0;text-align:center}
a{color:var(--accent)}
@media (max-width:40rem){main{padding:.4rem}body{font-size:14px}.cmp{grid-template-columns:1fr 1fr}}
`;

export const CSS_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src '${CSS_HASH}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
