import type { StoresOf } from './feature.js';
import { IDENTITY_STORES } from './identity/ports.js';
import { IMAGES_STORES } from './images/ports.js';
import { INSIGHTS_STORES } from './insights/ports.js';
import { INSTAGRAM_STORES } from './instagram/ports.js';
import { JOBS_STORES } from './jobs/ports.js';
import { PERSONAS_STORES } from './personas/ports.js';
import { PUBLISHING_STORES } from './publishing/ports.js';
import { YOUR_DATA_STORES } from './your-data/ports.js';

/** Every feature's stores, by the name composition/persistence.ts gives them. */
export const STORES = {
  ...IDENTITY_STORES,
  ...PERSONAS_STORES,
  ...IMAGES_STORES,
  ...INSTAGRAM_STORES,
  ...PUBLISHING_STORES,
  ...INSIGHTS_STORES,
  ...JOBS_STORES,
  ...YOUR_DATA_STORES,
};

export type Stores = StoresOf<typeof STORES>;
