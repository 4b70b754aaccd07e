import type { Request } from 'express';
import { DavError } from './dav-error.js';

/**
 * Reads a request body up to `limit` bytes; more is 413 (checked on Content-Length first,
 * then while streaming, so a lying or chunked client cannot make the server buffer more).
 * The rest of an oversized body is drained, not stored, so the 413 reaches the client.
 */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new DavError(413, `request body larger than ${limit} bytes`, undefined, { Connection: 'close' });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !over) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
      }
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
