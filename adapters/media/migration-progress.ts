import bytes from 'bytes';
import type { MigrationProgress, MigrationSummary } from './media-migration.js';

/** Where the bar goes: process.stderr, or a test's recorder. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * `npm run media:migrate`'s progress on `out`: on a terminal, one bar redrawn in place (at most every
 * 100 ms) with the lines `log` writes above it; elsewhere (a log file, CI), a plain line at most every
 * 5 s. The last state is always shown.
 */
export class MigrationProgressBar {
  /** The bar on the terminal's current line. */
  private shown: string | null = null;
  private last = '';
  private lastAt = -Infinity;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly everyMs = out.isTTY === true ? 100 : 5000,
  ) {}

  /** Shows `progress` unless it was shown less than `everyMs` ago or is what is shown; `final` shows it anyway. */
  update(progress: Readonly<MigrationProgress>, final = progress.doneFiles === progress.totalFiles): void {
    const line = progressLine(progress);
    if (line === this.last || (!final && this.now() - this.lastAt < this.everyMs)) return;
    this.last = line;
    this.lastAt = this.now();
    if (this.out.isTTY !== true) {
      this.out.write(`${line}\n`);
      return;
    }
    this.out.write(`\r${line}\x1b[K`);
    this.shown = line;
  }

  /** Writes `text` as its own line(s), above the bar. */
  log(text: string): void {
    if (this.shown !== null) this.out.write('\r\x1b[K');
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
    if (this.shown !== null) this.out.write(this.shown);
  }

  /** Leaves the bar as it is and moves below it. */
  end(): void {
    if (this.shown !== null) this.out.write('\n');
    this.shown = null;
  }
}

/** `[#####-----] 3/10 files, 1.2MB/4MB: copied 2, skipped 1, failed 0`: the bar follows the bytes. */
export function progressLine(progress: Readonly<MigrationProgress>, width = 24): string {
  const { totalFiles, totalBytes, doneFiles, doneBytes, copied, skipped, failed } = progress;
  const ratio = totalBytes > 0 ? doneBytes / totalBytes : totalFiles > 0 ? doneFiles / totalFiles : 1;
  const filled = Math.min(width, Math.round(ratio * width));
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  return `${bar} ${doneFiles}/${totalFiles} files, ${size(doneBytes)}/${size(totalBytes)}: copied ${copied}, skipped ${skipped}, failed ${failed}`;
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
