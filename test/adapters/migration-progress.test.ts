import { expect } from 'chai';
import type { MigrationProgress, MigrationSummary } from '../../adapters/media/media-migration.js';
import { MigrationProgressBar, plainLogLine, progressLine, summaryText } from '../../adapters/media/migration-progress.js';

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

/** A stream that records what is written, and a clock the test moves. */
function recorder(isTTY: boolean) {
  const writes: string[] = [];
  let now = 0;
  return { out: { isTTY, write: (text: string) => writes.push(text) }, writes, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('media:migrate progress', () => {
  it('a bar that follows the bytes, with the counts of files and bytes and what became of them', () => {
    expect(progressLine(START, 10)).to.equal('[----------] 0/4 files, 0 B/4 KB: copied 0, skipped 0, failed 0');
    expect(progressLine(HALF, 10)).to.equal('[#####-----] 2/4 files, 2 KB/4 KB: copied 1, skipped 1, failed 0');
    expect(progressLine(DONE, 10)).to.equal('[##########] 4/4 files, 4 KB/4 KB: copied 2, skipped 1, failed 1');
    expect(progressLine({ ...START, totalFiles: 0, totalBytes: 0 }, 4)).to.equal(
      '[####] 0/0 files, 0 B/0 B: copied 0, skipped 0, failed 0',
    );
  });

  it('on a terminal: one line redrawn in place at most every 100 ms, the last state always, log lines above it', () => {
    const { out, writes, clock, advance } = recorder(true);
    const bar = new MigrationProgressBar(out, clock);
    bar.update(START);
    advance(50);
    bar.update(HALF); // too soon
    bar.log('a failure');
    advance(100);
    bar.update(HALF);
    bar.update(DONE); // the last state, however soon
    bar.update(DONE); // already shown
    bar.end();
    expect(writes).to.deep.equal([
      `\r${progressLine(START)}\x1b[K`,
      '\r\x1b[K',
      'a failure\n',
      progressLine(START),
      `\r${progressLine(HALF)}\x1b[K`,
      `\r${progressLine(DONE)}\x1b[K`,
      '\n',
    ]);
  });

  it('elsewhere (a pipe, a log file): plain lines at most every 5 s, the last state always', () => {
    const { out, writes, clock, advance } = recorder(false);
    const bar = new MigrationProgressBar(out, clock);
    bar.update(START);
    advance(4000);
    bar.update(HALF);
    bar.log('a failure');
    advance(1000);
    bar.update(HALF);
    bar.update({ ...HALF, doneFiles: 3 });
    bar.update(DONE);
    bar.end();
    expect(writes).to.deep.equal([`${progressLine(START)}\n`, 'a failure\n', `${progressLine(HALF)}\n`, `${progressLine(DONE)}\n`]);
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
