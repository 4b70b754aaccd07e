import type { DavContext } from './context.js';
import { collectionHref, homeHref, principalHref } from './paths.js';
import { userCollections } from './resources.js';
import { escapeXml } from '../xml/dav-xml.js';

/**
 * A DAV URL (home, principal) opened in a browser: the URLs to give a client. The review
 * page (conflicts, runs, duplicates) is served by src/server/review/ at `/`.
 */
export async function homePage(ctx: DavContext): Promise<string> {
  const cols = await userCollections(ctx);
  const li = (label: string, href: string) => `<li>${escapeXml(label)}: <code>${escapeXml(href)}</code></li>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>pimhub</title></head>
<body>
<h1>pimhub: ${escapeXml(ctx.user)}</h1>
<p>Point a CardDAV/CalDAV client at this server's address; it discovers the rest through
<code>/.well-known/carddav</code> and <code>/.well-known/caldav</code>.</p>
<ul>
${li('principal', principalHref(ctx.user))}
${li('home (address books and calendars)', homeHref(ctx.user))}
</ul>
<h2>Collections</h2>
<ul>
${cols.map((c) => li(`${c.displayName ?? c.name} (${c.kind === 'contacts' ? 'address book' : 'calendar'})`, collectionHref(ctx.user, c.name))).join('\n')}
</ul>
</body></html>
`;
}
