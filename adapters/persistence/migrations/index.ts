import { Migration20261126000000_initial } from './Migration20261126000000_initial.js';

/** The committed migrations (MySQL/MariaDB only), listed explicitly: no file globbing at runtime. */
export const MIGRATIONS = [{ name: 'Migration20261126000000_initial', class: Migration20261126000000_initial }];
