import { Writable } from 'node:stream';

/** A stream that takes everything and keeps nothing: cucumber's output where a command prints its own. */
export const nullStream = (): Writable =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });
