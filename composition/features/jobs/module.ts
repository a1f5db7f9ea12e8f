import { ContainerModule } from 'inversify';
import { binder } from '../feature.js';
import { JOBS_STORES } from './ports.js';

/** The job queue; the features that own jobs bind their handlers (APP.JobHandler). */
export const jobsModule = new ContainerModule((options) => {
  binder(options).stores(JOBS_STORES);
});
