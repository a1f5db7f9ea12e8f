import { Migration20261126000000_initial } from './Migration20261126000000_initial.js';
import { Migration20261129000000_session_user } from './Migration20261129000000_session_user.js';
import { Migration20261129010000_session_id_hash } from './Migration20261129010000_session_id_hash.js';
import { Migration20261129020000_used_state } from './Migration20261129020000_used_state.js';
import { Migration20261129030000_meta_notices } from './Migration20261129030000_meta_notices.js';
import { Migration20261129040000_rate_limit } from './Migration20261129040000_rate_limit.js';
import { Migration20261129050000_media } from './Migration20261129050000_media.js';
import { Migration20261129060000_job } from './Migration20261129060000_job.js';
import { Migration20261129070000_page_token } from './Migration20261129070000_page_token.js';
import { Migration20261129080000_post } from './Migration20261129080000_post.js';
import { Migration20261205000000_post_pages } from './Migration20261205000000_post_pages.js';
import { Migration20261205010000_post_error_key } from './Migration20261205010000_post_error_key.js';
import { Migration20261205020000_instagram_login } from './Migration20261205020000_instagram_login.js';
import { Migration20261205030000_post_kind } from './Migration20261205030000_post_kind.js';
import { Migration20261205040000_insights } from './Migration20261205040000_insights.js';

/** The committed migrations (MySQL/MariaDB only), listed explicitly: no file globbing at runtime. */
export const MIGRATIONS = [
  { name: 'Migration20261126000000_initial', class: Migration20261126000000_initial },
  { name: 'Migration20261129000000_session_user', class: Migration20261129000000_session_user },
  { name: 'Migration20261129010000_session_id_hash', class: Migration20261129010000_session_id_hash },
  { name: 'Migration20261129020000_used_state', class: Migration20261129020000_used_state },
  { name: 'Migration20261129030000_meta_notices', class: Migration20261129030000_meta_notices },
  { name: 'Migration20261129040000_rate_limit', class: Migration20261129040000_rate_limit },
  { name: 'Migration20261129050000_media', class: Migration20261129050000_media },
  { name: 'Migration20261129060000_job', class: Migration20261129060000_job },
  { name: 'Migration20261129070000_page_token', class: Migration20261129070000_page_token },
  { name: 'Migration20261129080000_post', class: Migration20261129080000_post },
  { name: 'Migration20261205000000_post_pages', class: Migration20261205000000_post_pages },
  { name: 'Migration20261205010000_post_error_key', class: Migration20261205010000_post_error_key },
  { name: 'Migration20261205020000_instagram_login', class: Migration20261205020000_instagram_login },
  { name: 'Migration20261205030000_post_kind', class: Migration20261205030000_post_kind },
  { name: 'Migration20261205040000_insights', class: Migration20261205040000_insights },
];
