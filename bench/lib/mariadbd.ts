/**
 * The local MariaDB server process: its PID (for its CPU time per request) and its CPU affinity,
 * which the run moves to CPU 0 next to wrk (as the FastAPI peer's run does) and gives back at the end.
 */
import { execFileSync } from 'node:child_process';
import { onCleanup } from './cleanup.js';

export function localMariadbdPid(): number | null {
  for (const name of ['mariadbd', 'mysqld']) {
    try {
      return Number(execFileSync('pidof', ['-s', name], { encoding: 'utf8' }).trim());
    } catch {
      // pidof exits 1 when there is no such process
    }
  }
  return null;
}

/** Pins every thread of `pid` to CPU 0; the original mask (the main thread's) is restored at cleanup. */
export function pinToCpu0(pid: number): void {
  const shown = execFileSync('taskset', ['-p', String(pid)], { encoding: 'utf8' });
  const mask = /affinity mask:\s*([0-9a-f]+)/i.exec(shown)?.[1];
  if (!mask) throw new Error(`cannot read the CPU affinity of mariadbd (${pid}): ${shown.trim()}`);
  onCleanup(`restore mariadbd (${pid}) CPU affinity ${mask}`, () => {
    execFileSync('taskset', ['-a', '-p', mask, String(pid)], { stdio: 'ignore' });
  });
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(pid)], { stdio: 'ignore' });
}
