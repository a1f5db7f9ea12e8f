import { expect } from 'chai';
import { Writable } from 'node:stream';
import sinon from 'sinon';
import type { MigrationProgress, MigrationSummary } from '../../adapters/media/media-migration.js';
import { MigrationProgressBar, plainLogLine, summaryText } from '../../adapters/media/migration-progress.js';

const START: MigrationProgress = {
  totalFiles: 4,
  totalBytes: 4096,
  doneFiles: 0,
  doneBytes: 0,
  copied: 0,
  copiedBytes: 0,
  skipped: 0,
  failed: 0,
  vanished: 0,
};
const HALF: MigrationProgress = { ...START, doneFiles: 2, doneBytes: 2048, copied: 1, copiedBytes: 1024, skipped: 1 };
const DONE: MigrationProgress = { ...HALF, doneFiles: 4, doneBytes: 4096, copied: 2, copiedBytes: 2048, failed: 1 };
const SUMMARY: MigrationSummary = { ...DONE, failed: 0, skipped: 2, ignored: 0, notTried: 0, stopped: null, failures: [] };

/**
 * What a terminal `columns` wide would show of what is written to it (`isTTY`), or a pipe (not): the
 * screen's lines and the cursor. It knows the escapes node:readline writes for cli-progress (cursor to a
 * column, clear a line or its right part, up a line) and fails on any other.
 */
function terminal(isTTY: boolean, columns = 100) {
  const screen = [''];
  const cursor = { row: 0, column: 0 };
  let written = '';
  const draw = (text: string) => {
    const line = screen[cursor.row].padEnd(cursor.column);
    screen[cursor.row] = line.slice(0, cursor.column) + text + line.slice(cursor.column + text.length);
    cursor.column += text.length;
  };
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      written += chunk;
      // eslint-disable-next-line no-control-regex
      for (const [token, mode, count, code] of chunk.matchAll(/\x1b\[(\?)?(\d*)([A-Za-z])|\n|[^\x1b\n]+|\x1b/g)) {
        if (mode === '?') continue; // the cursor shown or hidden, line wrapping: nothing drawn
        if (token === '\n') {
          cursor.row += 1;
          cursor.column = 0;
          screen[cursor.row] ??= '';
        } else if (code === undefined) {
          if (token.includes('\x1b') || token.includes('\r')) throw new Error(`unexpected ${JSON.stringify(token)}`);
          draw(token);
        } else if (code === 'G') cursor.column = Number(count || 1) - 1;
        else if (code === 'K' && count === '2') screen[cursor.row] = '';
        else if (code === 'K' && (count === '' || count === '0')) screen[cursor.row] = screen[cursor.row].slice(0, cursor.column);
        else if (code === 'A') cursor.row -= Number(count || 1);
        else throw new Error(`unexpected escape ${JSON.stringify(token)}`);
      }
      done();
    },
  });
  return { stream: Object.assign(stream, { isTTY, columns }), screen, cursor, written: () => written };
}

const LINES = {
  start: '[------------------------] 0/4 files, 0 B/4 KB: copied 0, skipped 0, failed 0',
  half: '[############------------] 2/4 files, 2 KB/4 KB: copied 1, skipped 1, failed 0',
  done: '[########################] 4/4 files, 4 KB/4 KB: copied 2, skipped 1, failed 1',
};

describe('media:migrate progress', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })));
  afterEach(() => clock.restore());

  /** The line a terminal shows for `progress`, as soon as it is given. */
  function drawn(progress: MigrationProgress, columns?: number): string[] {
    const { stream, screen } = terminal(true, columns);
    const bar = new MigrationProgressBar(stream);
    bar.update(progress);
    const shown = [...screen];
    bar.end();
    return shown;
  }

  it('a bar that follows the bytes, with the counts of files and bytes and what became of them', () => {
    expect(drawn(START)).to.deep.equal([LINES.start]);
    expect(drawn(HALF)).to.deep.equal([LINES.half]);
    expect(drawn(DONE)).to.deep.equal([LINES.done]);
    expect(drawn({ ...START, totalFiles: 0, totalBytes: 0 })).to.deep.equal([
      '[########################] 0/0 files, 0 B/0 B: copied 0, skipped 0, failed 0',
    ]);
    // Files of 0 bytes: the bar follows the files.
    expect(drawn({ ...HALF, totalBytes: 0, doneBytes: 0, copiedBytes: 0 })).to.deep.equal([
      '[############------------] 2/4 files, 0 B/0 B: copied 1, skipped 1, failed 0',
    ]);
    // Cut to a narrow terminal's width rather than wrapped onto a second line it could not redraw.
    expect(drawn(DONE, 40)).to.deep.equal([LINES.done.slice(0, 40)]);
  });

  it('on a terminal: one line redrawn in place every 100 ms, the last state at the end, log lines above it', () => {
    const { stream, screen, cursor, written } = terminal(true);
    const bar = new MigrationProgressBar(stream);
    bar.update(START);
    expect(screen).to.deep.equal([LINES.start]);
    clock.tick(50);
    bar.update(HALF);
    expect(screen).to.deep.equal([LINES.start]); // too soon
    clock.tick(50);
    expect(screen).to.deep.equal([LINES.half]);
    bar.log('a failure');
    clock.tick(100);
    expect(screen).to.deep.equal(['a failure', LINES.half]);
    clock.tick(1000); // nothing new: the same
    expect(screen).to.deep.equal(['a failure', LINES.half]);
    bar.log('another failure\n');
    bar.update(DONE);
    bar.end(); // the last state and line, however soon
    expect(screen).to.deep.equal(['a failure', 'another failure', LINES.done, '']);
    expect(cursor).to.deep.equal({ row: 3, column: 0 });
    const before = written();
    clock.tick(10_000);
    expect(written()).to.equal(before);
  });

  it('elsewhere (a pipe, a log file): plain lines every 5 s, log lines as they come, the last state at the end', () => {
    const { stream, written } = terminal(false);
    const lines = () =>
      written()
        .split('\n')
        .filter((line) => line !== '');
    const bar = new MigrationProgressBar(stream);
    bar.update(START);
    expect(lines()).to.deep.equal([LINES.start]);
    clock.tick(4000);
    bar.update(HALF);
    bar.log('a failure');
    expect(lines()).to.deep.equal([LINES.start, 'a failure']);
    clock.tick(999);
    expect(lines()).to.deep.equal([LINES.start, 'a failure']);
    clock.tick(1);
    expect(lines()).to.deep.equal([LINES.start, 'a failure', LINES.half]);
    bar.update({ ...HALF, doneFiles: 3 });
    bar.update(DONE);
    bar.end();
    expect(lines()).to.deep.equal([LINES.start, 'a failure', LINES.half, LINES.done]);
    expect(written()).not.to.match(/[\r\x1b]/); // eslint-disable-line no-control-regex
    const before = written();
    clock.tick(10_000);
    expect(written()).to.equal(before);
  });

  it('the summary: counts and bytes, then what was ignored, and why a run stopped early', () => {
    expect(summaryText(SUMMARY)).to.equal('4 media files (4 KB): copied 2 (2 KB), skipped 2 (already in the bucket), failed 0');
    expect(summaryText({ ...SUMMARY, copied: 1, failed: 1, vanished: 1, ignored: 3 })).to.equal(
      [
        '4 media files (4 KB): copied 1 (2 KB), skipped 2 (already in the bucket), failed 1',
        '1 removed from disk while the run went on (nothing to copy)',
        '3 other entries (not media names) ignored',
        'run it again to retry the failed files',
      ].join('\n'),
    );
    expect(summaryText({ ...SUMMARY, copied: 1, skipped: 0, notTried: 3, stopped: 'interrupted' }).split('\n')[1]).to.equal(
      'interrupted: 3 files not tried; run it again to finish',
    );
    expect(summaryText({ ...SUMMARY, failed: 10, notTried: 3, stopped: 'failures' }).split('\n')[1]).to.equal(
      'stopped after too many failures in a row: 3 files not tried; run it again to finish',
    );
  });

  it("the store's JSON log lines as plain text", () => {
    const line = JSON.stringify({
      level: 40,
      time: 1,
      pid: 2,
      hostname: 'h',
      operation: 'save',
      bucket: 'b',
      key: 'media/x.png',
      reason: 'AccessDenied (HTTP 403)',
      msg: 'media store unavailable',
    });
    expect(plainLogLine(`${line}\n`)).to.equal(
      'media store unavailable: operation=save bucket=b key=media/x.png reason=AccessDenied (HTTP 403)',
    );
    expect(plainLogLine('not json\n')).to.equal('not json');
  });
});
