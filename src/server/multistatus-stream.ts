import type { Response } from 'express';
import { MULTISTATUS_CLOSE, MULTISTATUS_OPEN } from './multistatus.js';

/**
 * A 207 Multi-Status body written as it is made (chunked), for listings of thousands of
 * objects: the whole answer is never held in memory, and a client that reads slowly slows
 * the writer down (a `write` that the socket cannot take yet waits for 'drain') instead of
 * the answer piling up in the server's memory.
 */
export class MultistatusStream {
  constructor(private readonly res: Response) {}

  begin(): void {
    this.res.status(207).type('application/xml; charset=utf-8');
    this.res.write(MULTISTATUS_OPEN);
  }

  /** Writes a part of the body; false when the client has gone (stop making the rest). */
  async write(xml: string | Buffer): Promise<boolean> {
    if (this.gone()) return false;
    if (xml.length > 0 && !this.res.write(xml)) {
      await new Promise<void>((done) => {
        const settle = () => {
          this.res.off('drain', settle);
          this.res.off('close', settle);
          done();
        };
        this.res.on('drain', settle);
        this.res.on('close', settle);
      });
    }
    return !this.gone();
  }

  /** Ends the body after `extra` (the sync-token of a sync-collection answer). */
  end(extra = ''): void {
    if (!this.gone()) this.res.end(`${extra}${MULTISTATUS_CLOSE}`);
  }

  private gone(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }
}
