import { identityModule } from './identity/module.js';
import { imagesModule } from './images/module.js';
import { insightsModule } from './insights/module.js';
import { instagramModule } from './instagram/module.js';
import { jobsModule } from './jobs/module.js';
import { personasModule } from './personas/module.js';
import { publishingModule } from './publishing/module.js';
import { yourDataModule } from './your-data/module.js';

/** One module per feature; routes mount (and appear in /openapi.json) in this order. */
export const FEATURE_MODULES = [
  identityModule,
  personasModule,
  imagesModule,
  instagramModule,
  publishingModule,
  insightsModule,
  jobsModule,
  yourDataModule,
];
