import { APP } from './app-tokens.js';
import { IDENTITY } from './features/identity/ports.js';
import { IMAGES } from './features/images/ports.js';
import { INSIGHTS } from './features/insights/ports.js';
import { INSTAGRAM } from './features/instagram/ports.js';
import { JOBS } from './features/jobs/ports.js';
import { PERSONAS } from './features/personas/ports.js';
import { PUBLISHING } from './features/publishing/ports.js';
import { YOUR_DATA } from './features/your-data/ports.js';

export type { Token } from './app-tokens.js';

/**
 * Every token, the app's and each feature's (use cases are bound by their class). A test (or
 * MOCK_PROVIDERS) swaps one adapter with `container.rebind(TOKENS.X)`.
 */
export const TOKENS = { ...APP, ...IDENTITY, ...PERSONAS, ...IMAGES, ...INSTAGRAM, ...PUBLISHING, ...INSIGHTS, ...JOBS, ...YOUR_DATA };
