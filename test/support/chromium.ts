import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (installed by .ci/run), headless; playwright-core brings no browser of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // As root (CI), Chromium's sandbox cannot start.
    args: ['--no-sandbox'],
  });
}
