import bytes from 'bytes';
import { MultiBar, type SingleBar } from 'cli-progress';
import type { MigrationProgress, MigrationSummary } from './media-migration.js';

/** Where the bar goes: process.stderr, or a test's recorder (a terminal when `isTTY`, `columns` wide). */
export type ProgressOutput = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * `npm run media:migrate`'s progress on `out`, drawn by cli-progress: on a terminal, one bar redrawn in
 * place every 100 ms with the lines `log` writes above it (cut to the terminal's width rather than wrapped,
 * so it can be redrawn); elsewhere (a log file, CI), a plain line every 5 s and the logged lines as they
 * come. The first state is shown at once, the last when the run ends.
 */
export class MigrationProgressBar {
  private readonly bars: MultiBar;
  private bar: SingleBar | null = null;

  constructor(private readonly out: ProgressOutput) {
    this.bars = new MultiBar({
      stream: out,
      format: '[{bar}] {doneFiles}/{totalFiles} files, {doneSize}/{totalSize}: copied {copied}, skipped {skipped}, failed {failed}',
      barsize: 24,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      fps: 10,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      // Redrawn at every tick, so a line logged above it never leaves the bar undrawn until the next change.
      forceRedraw: true,
      // Cut to the terminal's width, never the terminal's own line wrapping switched off (a second Ctrl-C
      // would leave it off), nor its SIGINT handlers: Ctrl-C is composition/media-migrate.ts's.
      linewrap: true,
      gracefulExit: false,
    });
  }

  /** The bar follows the bytes (the files when they are all empty); shown at the next tick, the first at once. */
  update(progress: Readonly<MigrationProgress>): void {
    const { totalFiles, totalBytes, doneFiles, doneBytes, copied, skipped, failed } = progress;
    const [done, total] = totalBytes > 0 ? [doneBytes, totalBytes] : [doneFiles, totalFiles];
    const payload = { doneFiles, totalFiles, doneSize: size(doneBytes), totalSize: size(totalBytes), copied, skipped, failed };
    if (this.bar !== null) return this.bar.update(done, payload);
    this.bar = this.bars.create(total, done, payload);
    this.bars.update(); // the totals at once, not a tick later
  }

  /** Writes `text` as its own line(s), above the bar. */
  log(text: string): void {
    const lines = text.endsWith('\n') ? text : `${text}\n`;
    // Elsewhere than on a terminal the bar is never redrawn, so a line is written as it comes.
    if (this.bar !== null && this.out.isTTY === true) this.bars.log(lines);
    else this.out.write(lines);
  }

  /** Shows the last state (and the lines logged since the last tick) and moves below the bar. */
  end(): void {
    if (this.bar === null) return;
    if (this.out.isTTY === true) this.bars.update();
    this.bars.stop();
    this.bar = null;
  }
}

/** What a run did, in a few lines: the counts, then why it stopped early if it did. */
export function summaryText(summary: MigrationSummary): string {
  const { totalFiles, totalBytes, copied, copiedBytes, skipped, failed, vanished, ignored, notTried, stopped } = summary;
  const lines = [
    `${totalFiles} media files (${size(totalBytes)}): copied ${copied} (${size(copiedBytes)}), skipped ${skipped} (already in the bucket), failed ${failed}`,
  ];
  if (vanished > 0) lines.push(`${vanished} removed from disk while the run went on (nothing to copy)`);
  if (ignored > 0) lines.push(`${ignored} other entries (not media names) ignored`);
  if (stopped !== null) {
    const why = stopped === 'interrupted' ? 'interrupted' : 'stopped after too many failures in a row';
    lines.push(`${why}: ${notTried} files not tried; run it again to finish`);
  } else if (failed > 0) lines.push('run it again to retry the failed files');
  return lines.join('\n');
}

function size(count: number): string {
  return bytes.format(count, { unitSeparator: ' ' }) ?? `${count} B`;
}

/** A pino JSON line as plain text: `media store unavailable: operation=stat bucket=… key=… reason=…`. */
export function plainLogLine(json: string): string {
  try {
    const { msg, level: _level, time: _time, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(json) as Record<string, unknown>;
    const pairs = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    return [String(msg), ...(pairs.length > 0 ? [pairs.join(' ')] : [])].join(': ');
  } catch {
    return json.trimEnd();
  }
}
