import { InMemorySessionStore } from '../../../adapters/in-memory/in-memory-session-store.js';
import { InMemoryUsedStateStore } from '../../../adapters/in-memory/in-memory-used-state-store.js';
import { InMemoryUserRepository } from '../../../adapters/in-memory/in-memory-user-repository.js';
import { MikroOrmSessionStore } from '../../../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUsedStateStore } from '../../../adapters/persistence/mikro-orm-used-state-store.js';
import { MikroOrmUserRepository } from '../../../adapters/persistence/mikro-orm-user-repository.js';
import type { KakaoUnlinker, OAuthProvider, SessionStore, UsedStateStore, UserRepository } from '../../../core/identity/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';

export const IDENTITY = {
  UserRepository: token<UserRepository>('UserRepository'),
  SessionStore: token<SessionStore>('SessionStore'),
  UsedStateStore: token<UsedStateStore>('UsedStateStore'),
  KakaoOAuth: token<OAuthProvider>('KakaoOAuth'),
  GoogleOAuth: token<OAuthProvider>('GoogleOAuth'),
  KakaoUnlinker: token<KakaoUnlinker>('KakaoUnlinker'),
};

export const IDENTITY_STORES = {
  users: store(IDENTITY.UserRepository, MikroOrmUserRepository, () => new InMemoryUserRepository()),
  sessions: store(IDENTITY.SessionStore, MikroOrmSessionStore, (get) => new InMemorySessionStore(get(IDENTITY.UserRepository))),
  usedStates: store(IDENTITY.UsedStateStore, MikroOrmUsedStateStore, () => new InMemoryUsedStateStore()),
};
