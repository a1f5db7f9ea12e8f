import { InMemoryMetaDeletionRequests } from '../../../adapters/in-memory/in-memory-meta-deletion-requests.js';
import { MikroOrmMetaDeletionRequests } from '../../../adapters/persistence/mikro-orm-meta-deletion-requests.js';
import type { MetaDeletionRequests } from '../../../core/your-data/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';

export const YOUR_DATA = {
  MetaDeletionRequests: token<MetaDeletionRequests>('MetaDeletionRequests'),
};

export const YOUR_DATA_STORES = {
  metaDeletionRequests: store(YOUR_DATA.MetaDeletionRequests, MikroOrmMetaDeletionRequests, () => new InMemoryMetaDeletionRequests()),
};
