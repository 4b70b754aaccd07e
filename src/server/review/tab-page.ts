import type { Request, Response } from 'express';
import { Html, html } from './escape.js';
import { CSS, SECURITY_HEADERS } from './style.js';

/** The frame of the review page's extra tabs (runs, duplicates): same style and headers as the merge log. */
export function page(title: string, user: string, body: Html): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pimhub — ${title}</title><link rel="icon" href="data:,"><style>${new Html(CSS)}</style></head>
<body><header><h1>pimhub · ${title}</h1><span class="who">signed in as ${user} · <a href="/">merge log</a> · <a href="/review/runs">runs</a> · <a href="/review/duplicates">duplicates</a></span></header>
<main>${body}</main></body></html>
`.text;
}

export function send(res: Response, req: Request, text: string): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.type('text/html; charset=utf-8').send(req.method === 'HEAD' ? '' : text);
}

export function refuse(res: Response, why: string): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.status(403).type('text/plain; charset=utf-8').send(`403 Forbidden: ${why}.\nNothing was changed.\n`);
}
