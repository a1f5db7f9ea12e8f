import { InMemoryInstagramTokenStore } from '../../../adapters/in-memory/in-memory-instagram-token-store.js';
import { MikroOrmInstagramTokenStore } from '../../../adapters/persistence/mikro-orm-instagram-token-store.js';
import type { InstagramLoginApi, InstagramTokenStore, MetaGraph, TokenCipher } from '../../../core/instagram/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';

export const INSTAGRAM = {
  InstagramTokenStore: token<InstagramTokenStore>('InstagramTokenStore'),
  MetaGraph: token<MetaGraph>('MetaGraph'),
  InstagramLoginApi: token<InstagramLoginApi>('InstagramLoginApi'),
  TokenCipher: token<TokenCipher>('TokenCipher'),
};

export const INSTAGRAM_STORES = {
  instagramTokens: store(INSTAGRAM.InstagramTokenStore, MikroOrmInstagramTokenStore, () => new InMemoryInstagramTokenStore()),
};
