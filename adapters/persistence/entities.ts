import { EntitySchema } from '@mikro-orm/core';
import type { Job } from '../../core/jobs/index.js';
import type { Columns, RowOf } from './columns.js';

/*
 * Table shapes, kept from the existing MySQL schema. Plain rows (no classes, no decorators): repositories map
 * them to core types. Each table is declared once, as its properties: the row type is derived from them
 * (RowOf), and so are the select lists of raw SQL (columns.ts). Column types are spelled out where the default
 * would differ between SQLite and MariaDB or lose information (ids as strings, dates as 'YYYY-MM-DD').
 * Timestamps are written by the repositories (no DB defaults) and stored in UTC.
 */

/** `user_id`: a foreign key to ss_user (the property holds the id); the rows go with their user. */
const OWNED_BY_USER = {
  kind: 'm:1',
  entity: 'SsUser',
  mapToPk: true,
  fieldName: 'user_id',
  deleteRule: 'cascade',
  updateRule: 'cascade',
} as const;

const USER = {
  id: { type: 'integer', primary: true, autoincrement: true },
  provider: { type: 'string', length: 16 },
  /** A string: Kakao ids reach 19 digits. */
  providerUserId: { type: 'string', length: 64, fieldName: 'provider_user_id' },
  nickname: { type: 'string', length: 255, nullable: true },
  profileImage: { type: 'string', length: 1024, nullable: true, fieldName: 'profile_image' },
  /** 'YYYY-MM-DD', kept as text so no timezone ever shifts it. */
  birthday: { type: 'string', length: 10, nullable: true },
  gender: { type: 'string', length: 8, nullable: true },
  createdAt: { type: 'datetime', fieldName: 'created_at' },
  updatedAt: { type: 'datetime', fieldName: 'updated_at' },
} as const satisfies Columns;
export type UserRow = RowOf<typeof USER>;

export const UserSchema = new EntitySchema<UserRow>({
  name: 'SsUser',
  tableName: 'ss_user',
  properties: USER,
  uniques: [{ name: 'ss_user_provider_uniq', properties: ['provider', 'providerUserId'] }],
});

const PERSONA = {
  id: { type: 'integer', primary: true, autoincrement: true },
  userId: OWNED_BY_USER,
  personaNum: { type: 'integer', fieldName: 'user_persona_num' },
  name: { type: 'string', length: 255 },
  parameters: { type: 'json', fieldName: 'persona_parameters' },
  imageUrl: { type: 'string', length: 1024, nullable: true, fieldName: 'image_url' },
  igUserId: { type: 'string', length: 64, nullable: true, fieldName: 'ig_user_id', unique: 'ss_persona_ig_user_id_uniq' },
  igUsername: { type: 'string', length: 255, nullable: true, fieldName: 'ig_username' },
  fbPageId: { type: 'string', length: 64, nullable: true, fieldName: 'fb_page_id' },
  igLinkedAt: { type: 'datetime', nullable: true, fieldName: 'ig_linked_at' },
  /** `facebook` or `instagram`: the sign-in that linked the account (null when unlinked, and for links made before it was kept: Facebook). */
  igLogin: { type: 'string', length: 16, nullable: true, fieldName: 'ig_login' },
  createdAt: { type: 'datetime', fieldName: 'created_at' },
} as const satisfies Columns;
export type PersonaRow = RowOf<typeof PERSONA>;

export const PersonaSchema = new EntitySchema<PersonaRow>({
  name: 'SsPersona',
  tableName: 'ss_persona',
  properties: PERSONA,
  uniques: [{ name: 'ss_persona_user_num_uniq', properties: ['userId', 'personaNum'] }],
});

const INSTAGRAM_CONNECTOR = {
  id: { type: 'integer', primary: true, autoincrement: true },
  userId: OWNED_BY_USER,
  personaNum: { type: 'integer', fieldName: 'user_persona_num' },
  /** AES-256-GCM, base64. */
  tokenCiphertext: { type: 'text', fieldName: 'token_ciphertext' },
  tokenIv: { type: 'string', length: 32, fieldName: 'token_iv' },
  tokenTag: { type: 'string', length: 32, fieldName: 'token_tag' },
  keyId: { type: 'string', length: 32, fieldName: 'key_id' },
  expiresAt: { type: 'datetime', nullable: true, fieldName: 'expires_at' },
  /** The app-scoped Meta user of the token: Meta's deauthorize and data-deletion notices name it. */
  metaUserId: { type: 'string', length: 64, nullable: true, fieldName: 'meta_user_id', index: 'ss_igconn_meta_user_id_idx' },
  /** The persona's Page access token, sealed like the user token (null until linked or first used). */
  pageTokenCiphertext: { type: 'text', nullable: true, fieldName: 'page_token_ciphertext' },
  pageTokenIv: { type: 'string', length: 32, nullable: true, fieldName: 'page_token_iv' },
  pageTokenTag: { type: 'string', length: 32, nullable: true, fieldName: 'page_token_tag' },
  pageKeyId: { type: 'string', length: 32, nullable: true, fieldName: 'page_key_id' },
  /** The app that issued the token: `facebook` (Facebook Login) or `instagram` (Instagram Login); its notices name its own users. */
  login: { type: 'string', length: 16, default: 'facebook', fieldName: 'login' },
  /** Meta refused the token (code 190) since it was stored: the persona must be linked again. */
  needsReconnect: { type: 'boolean', default: false, fieldName: 'needs_reconnect' },
  /** When the token was stored, to the whole second. */
  updatedAt: { type: 'datetime', fieldName: 'updated_at' },
} as const satisfies Columns;
export type InstagramConnectorRow = RowOf<typeof INSTAGRAM_CONNECTOR>;

export const InstagramConnectorSchema = new EntitySchema<InstagramConnectorRow>({
  name: 'SsInstagramConnectorPersona',
  tableName: 'ss_instagram_connector_persona',
  properties: INSTAGRAM_CONNECTOR,
  uniques: [{ name: 'ss_igconn_user_num_uniq', properties: ['userId', 'personaNum'] }],
});

const META_DELETION_REQUEST = {
  id: { type: 'integer', primary: true, autoincrement: true },
  confirmationCode: { type: 'string', length: 64, fieldName: 'confirmation_code', unique: 'ss_meta_deletion_code_uniq' },
  /** SHA-256 of the signed request's signature: replays find the first row; no user is named. */
  requestKey: { type: 'string', length: 64, fieldName: 'request_key', unique: 'ss_meta_deletion_key_uniq' },
  requestedAt: { type: 'datetime', fieldName: 'requested_at' },
} as const satisfies Columns;
export type MetaDeletionRequestRow = RowOf<typeof META_DELETION_REQUEST>;

export const MetaDeletionRequestSchema = new EntitySchema<MetaDeletionRequestRow>({
  name: 'SsMetaDeletionRequest',
  tableName: 'ss_meta_deletion_request',
  properties: META_DELETION_REQUEST,
});

const SESSION = {
  id: { type: 'string', length: 64, primary: true },
  /** JSON text. */
  data: { type: 'text' },
  // The data's userId, kept in a column for the join that reads a session with its user. No foreign key:
  // the store treats data as opaque, and a session naming a deleted user reads as signed out.
  userId: { type: 'integer', unsigned: true, nullable: true, fieldName: 'user_id', index: 'ss_session_user_id_idx' },
  /** Millisecond precision: a session must not outlive its expiry by a rounded second. */
  expiresAt: { type: 'datetime', length: 3, fieldName: 'expires_at', index: 'ss_session_expires_at_idx' },
} as const satisfies Columns;
export type SessionRow = RowOf<typeof SESSION>;

export const SessionSchema = new EntitySchema<SessionRow>({
  name: 'SsSession',
  tableName: 'ss_session',
  properties: SESSION,
});

const USED_STATE = {
  /** SHA-256 (hex) of the OAuth state. */
  stateHash: { type: 'string', length: 64, primary: true, fieldName: 'state_hash' },
  expiresAt: { type: 'datetime', length: 3, fieldName: 'expires_at', index: 'ss_used_state_expires_at_idx' },
} as const satisfies Columns;
export type UsedStateRow = RowOf<typeof USED_STATE>;

export const UsedStateSchema = new EntitySchema<UsedStateRow>({
  name: 'SsUsedState',
  tableName: 'ss_used_state',
  properties: USED_STATE,
});

const MEDIA = {
  id: { type: 'integer', primary: true, autoincrement: true },
  userId: OWNED_BY_USER,
  /** The MediaStore's URL, `/media/<sha256>.<ext>`. */
  url: { type: 'string', length: 255, index: 'ss_media_url_idx' },
  contentType: { type: 'string', length: 32, fieldName: 'content_type' },
  width: { type: 'integer' },
  height: { type: 'integer' },
  bytes: { type: 'integer' },
  /** `ai` or `upload`. */
  source: { type: 'string', length: 8 },
  /** Millisecond precision: the library lists newest first. */
  createdAt: { type: 'datetime', length: 3, fieldName: 'created_at' },
} as const satisfies Columns;
export type MediaRow = RowOf<typeof MEDIA>;

export const MediaSchema = new EntitySchema<MediaRow>({
  name: 'SsMedia',
  tableName: 'ss_media',
  properties: MEDIA,
  indexes: [{ name: 'ss_media_user_created_idx', properties: ['userId', 'createdAt'] }],
});

const JOB = {
  id: { type: 'integer', primary: true, autoincrement: true },
  kind: { type: 'string', length: 32 },
  reference: { type: 'string', length: 64 },
  dedupeKey: { type: 'string', length: 128, fieldName: 'dedupe_key', unique: 'ss_job_dedupe_key_uniq' },
  lane: { type: 'string', length: 64, nullable: true },
  /** The lane while the job is running, else null: its unique index lets one job per lane hold a lease. */
  laneHolder: { type: 'string', length: 64, nullable: true, fieldName: 'lane_holder', unique: 'ss_job_lane_holder_uniq' },
  /** The port's JobState, as a plain string column. */
  state: { type: 'string', length: 16 },
  phase: { type: 'text', nullable: true },
  runAt: { type: 'datetime', length: 3, fieldName: 'run_at' },
  attempts: { type: 'integer' },
  leaseOwner: { type: 'string', length: 64, nullable: true, fieldName: 'lease_owner' },
  leaseExpiresAt: { type: 'datetime', length: 3, nullable: true, fieldName: 'lease_expires_at' },
  lastError: { type: 'text', nullable: true, fieldName: 'last_error' },
  createdAt: { type: 'datetime', length: 3, fieldName: 'created_at' },
  updatedAt: { type: 'datetime', length: 3, fieldName: 'updated_at' },
} as const satisfies Columns;
/** A job as stored: the port's Job (its state a plain string column) plus the lane it holds while running. */
export type JobRow = RowOf<typeof JOB>;

/** A row holds every field of the port's Job, typed alike (but the state): a Job field without its column fails here. */
const jobRowMatchesJob: [Omit<Job, 'state'>, Omit<JobRow, 'state' | 'laneHolder'>] extends [
  Omit<JobRow, 'state' | 'laneHolder'>,
  Omit<Job, 'state'>,
]
  ? true
  : never = true;
void jobRowMatchesJob;

export const JobSchema = new EntitySchema<JobRow>({
  name: 'SsJob',
  tableName: 'ss_job',
  properties: JOB,
  // The claim's two searches: due queued jobs by run_at, expired leases by expiry.
  indexes: [
    { name: 'ss_job_state_run_at_idx', properties: ['state', 'runAt'] },
    { name: 'ss_job_state_lease_idx', properties: ['state', 'leaseExpiresAt'] },
  ],
});

const POST = {
  id: { type: 'integer', primary: true, autoincrement: true },
  userId: OWNED_BY_USER,
  personaId: { kind: 'm:1', entity: 'SsPersona', mapToPk: true, fieldName: 'persona_id', deleteRule: 'cascade', updateRule: 'cascade' },
  /** `feed` or `story`; rows made before stories are feed posts (the default). */
  kind: { type: 'string', length: 8, default: 'feed' },
  status: { type: 'string', length: 16 },
  caption: { type: 'text' },
  altText: { type: 'text', nullable: true, fieldName: 'alt_text' },
  scheduledAt: { type: 'datetime', length: 3, nullable: true, fieldName: 'scheduled_at' },
  localAt: { type: 'string', length: 16, nullable: true, fieldName: 'local_at' },
  timeZone: { type: 'string', length: 64, nullable: true, fieldName: 'time_zone' },
  containerId: { type: 'string', length: 64, nullable: true, fieldName: 'container_id' },
  igMediaId: { type: 'string', length: 64, nullable: true, fieldName: 'ig_media_id' },
  permalink: { type: 'string', length: 1024, nullable: true },
  /** The error's code; null when the post has no error (the other error columns are null then too). */
  errorCode: { type: 'string', length: 64, nullable: true, fieldName: 'error_code' },
  /** What the error says: a key of the edge's message catalogues, and its values (JSON); null on rows written before they were kept. */
  errorKey: { type: 'string', length: 64, nullable: true, fieldName: 'error_key' },
  errorParams: { type: 'text', nullable: true, fieldName: 'error_params' },
  /** Only on rows written before errorKey: the English sentence they stored (see legacy-post-error.ts). */
  errorMessage: { type: 'text', nullable: true, fieldName: 'error_message' },
  errorMetaCode: { type: 'integer', nullable: true, fieldName: 'error_meta_code' },
  errorMetaSubcode: { type: 'integer', nullable: true, fieldName: 'error_meta_subcode' },
  attempts: { type: 'integer' },
  publishKey: { type: 'string', length: 255, nullable: true, fieldName: 'publish_key' },
  /** Millisecond precision: a persona's posts list newest first. */
  createdAt: { type: 'datetime', length: 3, fieldName: 'created_at' },
  updatedAt: { type: 'datetime', length: 3, fieldName: 'updated_at' },
  publishedAt: { type: 'datetime', length: 3, nullable: true, fieldName: 'published_at' },
} as const satisfies Columns;
/** A post as stored: the core Post without its media (ss_post_media), its error in four columns. */
export type PostRow = RowOf<typeof POST>;

export const PostSchema = new EntitySchema<PostRow>({
  name: 'SsPost',
  tableName: 'ss_post',
  properties: POST,
  // A persona's posts newest first, all, of one status, of one kind or of both (keyset pages: the primary key
  // ends each index); its next scheduled post.
  indexes: [
    { name: 'ss_post_user_persona_created_idx', properties: ['userId', 'personaId', 'createdAt'] },
    { name: 'ss_post_user_persona_status_created_idx', properties: ['userId', 'personaId', 'status', 'createdAt'] },
    { name: 'ss_post_user_persona_kind_created_idx', properties: ['userId', 'personaId', 'kind', 'createdAt'] },
    { name: 'ss_post_user_persona_kind_status_created_idx', properties: ['userId', 'personaId', 'kind', 'status', 'createdAt'] },
    { name: 'ss_post_persona_status_scheduled_idx', properties: ['personaId', 'status', 'scheduledAt'] },
  ],
});

/** One image of a post: `position` orders them from 0. */
const POST_MEDIA = {
  id: { type: 'integer', primary: true, autoincrement: true },
  postId: { kind: 'm:1', entity: 'SsPost', mapToPk: true, fieldName: 'post_id', deleteRule: 'cascade', updateRule: 'cascade' },
  position: { type: 'integer' },
  mediaId: { type: 'integer', fieldName: 'media_id' },
  url: { type: 'string', length: 255 },
  preparedUrl: { type: 'string', length: 255, nullable: true, fieldName: 'prepared_url', index: 'ss_post_media_prepared_url_idx' },
  containerId: { type: 'string', length: 64, nullable: true, fieldName: 'container_id' },
} as const satisfies Columns;
export type PostMediaRow = RowOf<typeof POST_MEDIA>;

export const PostMediaSchema = new EntitySchema<PostMediaRow>({
  name: 'SsPostMedia',
  tableName: 'ss_post_media',
  properties: POST_MEDIA,
  uniques: [{ name: 'ss_post_media_post_position_uniq', properties: ['postId', 'position'] }],
});

/** A metric as Meta gave it: null when Meta refused or left it out (never 0 in its place). */
const METRIC = { type: 'integer', nullable: true } as const;
const OF_PERSONA = {
  kind: 'm:1',
  entity: 'SsPersona',
  mapToPk: true,
  fieldName: 'persona_id',
  deleteRule: 'cascade',
  updateRule: 'cascade',
} as const;

/** A published post's latest insights: one row per post, replaced at each refresh. */
const POST_INSIGHT = {
  /** The post's id (no foreign key: the row goes with its persona or user, and only published posts have one). */
  postId: { type: 'integer', primary: true, autoincrement: false, unsigned: true, fieldName: 'post_id' },
  userId: OWNED_BY_USER,
  personaId: OF_PERSONA,
  permalink: { type: 'string', length: 1024, nullable: true },
  publishedAt: { type: 'datetime', length: 3, fieldName: 'published_at' },
  fetchedAt: { type: 'datetime', length: 3, fieldName: 'fetched_at' },
  /** Set while one caller (of any instance) asks Meta for a stale row; cleared by the answer's save. */
  refreshingUntil: { type: 'datetime', length: 3, nullable: true, fieldName: 'refreshing_until' },
  views: METRIC,
  reach: METRIC,
  likes: METRIC,
  comments: METRIC,
  shares: METRIC,
  saved: METRIC,
  totalInteractions: { ...METRIC, fieldName: 'total_interactions' },
} as const satisfies Columns;
export type PostInsightRow = RowOf<typeof POST_INSIGHT>;

export const PostInsightSchema = new EntitySchema<PostInsightRow>({
  name: 'SsPostInsight',
  tableName: 'ss_post_insight',
  properties: POST_INSIGHT,
  // A persona's top posts: those published since a day, by persona.
  indexes: [{ name: 'ss_post_insight_persona_published_idx', properties: ['personaId', 'publishedAt'] }],
});

/** One UTC day of a persona's account. */
const PERSONA_INSIGHT_DAY = {
  id: { type: 'integer', primary: true, autoincrement: true },
  userId: OWNED_BY_USER,
  personaId: OF_PERSONA,
  /** 'YYYY-MM-DD' (UTC), kept as text so no time zone ever shifts it. */
  day: { type: 'string', length: 10 },
  views: METRIC,
  reach: METRIC,
  followerCount: { ...METRIC, fieldName: 'follower_count' },
  followersCount: { ...METRIC, fieldName: 'followers_count' },
  mediaCount: { ...METRIC, fieldName: 'media_count' },
} as const satisfies Columns;
export type PersonaInsightDayRow = RowOf<typeof PERSONA_INSIGHT_DAY>;

export const PersonaInsightDaySchema = new EntitySchema<PersonaInsightDayRow>({
  name: 'SsPersonaInsightDay',
  tableName: 'ss_persona_insight_day',
  properties: PERSONA_INSIGHT_DAY,
  uniques: [{ name: 'ss_persona_insight_day_persona_day_uniq', properties: ['personaId', 'day'] }],
});

export const ENTITIES = [
  UserSchema,
  PersonaSchema,
  InstagramConnectorSchema,
  SessionSchema,
  MetaDeletionRequestSchema,
  UsedStateSchema,
  MediaSchema,
  JobSchema,
  PostSchema,
  PostMediaSchema,
  PostInsightSchema,
  PersonaInsightDaySchema,
];

/**
 * The rate-limit counters on MySQL/MariaDB (rate-limiter-flexible's own layout: `key`, `points`,
 * `expire` in epoch milliseconds), created by a migration and written by that library only: no
 * entity, and the schema diff skips it (create-orm.ts). SQLite counts in memory and has no such table.
 */
export const RATE_LIMIT_TABLE = 'ss_rate_limit';
