import type Koa from 'koa';
import type { Logger } from 'pino';
import type { PersonaTokenReader } from '../core/persona-token.js';
import type { Clock } from '../core/ports/clock.js';
import type { MetaGraph } from '../core/ports/meta-graph.js';
import type { TokenCipher } from '../core/ports/token-cipher.js';
import type { CompleteInstagramLink } from '../core/use-cases/complete-instagram-link.js';
import type { CompleteSignIn } from '../core/use-cases/complete-sign-in.js';
import type { CreatePersona } from '../core/use-cases/create-persona.js';
import type { GenerateImage } from '../core/use-cases/generate-image.js';
import type { GetCurrentUser } from '../core/use-cases/get-current-user.js';
import type { GetPersona } from '../core/use-cases/get-persona.js';
import type { LinkInstagramPersona } from '../core/use-cases/link-instagram-persona.js';
import type { ListInstagramAccounts } from '../core/use-cases/list-instagram-accounts.js';
import type { ListPersonas } from '../core/use-cases/list-personas.js';
import type { StartInstagramLink } from '../core/use-cases/start-instagram-link.js';
import type { StartSignIn } from '../core/use-cases/start-sign-in.js';
import type { UnlinkInstagramPersona } from '../core/use-cases/unlink-instagram-persona.js';
import type { UnlinkKakao } from '../core/use-cases/unlink-kakao.js';
import type { UpdateProfile } from '../core/use-cases/update-profile.js';
import type { UpsertOAuthUser } from '../core/use-cases/upsert-oauth-user.js';
import type { AppState } from '../adapters/http/app-state.js';
import type { Route } from '../adapters/http/route.js';
import type { Config } from './config-types.js';
import type { Persistence } from './persistence.js';
import type { SignInProviders } from './providers.js';

/** A service identifier that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T };

const token = <T>(name: string) => Symbol(name) as Token<T>;

export const TOKENS = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  Persistence: token<Persistence>('Persistence'),
  SignInProviders: token<SignInProviders>('SignInProviders'),
  MetaGraph: token<MetaGraph>('MetaGraph'),
  TokenCipher: token<TokenCipher>('TokenCipher'),
  PersonaTokenReader: token<PersonaTokenReader>('PersonaTokenReader'),
  GetCurrentUser: token<GetCurrentUser>('GetCurrentUser'),
  UpdateProfile: token<UpdateProfile>('UpdateProfile'),
  UpsertOAuthUser: token<UpsertOAuthUser>('UpsertOAuthUser'),
  StartSignIn: token<StartSignIn>('StartSignIn'),
  CompleteSignIn: token<CompleteSignIn>('CompleteSignIn'),
  UnlinkKakao: token<UnlinkKakao>('UnlinkKakao'),
  GenerateImage: token<GenerateImage>('GenerateImage'),
  CreatePersona: token<CreatePersona>('CreatePersona'),
  ListPersonas: token<ListPersonas>('ListPersonas'),
  GetPersona: token<GetPersona>('GetPersona'),
  StartInstagramLink: token<StartInstagramLink>('StartInstagramLink'),
  CompleteInstagramLink: token<CompleteInstagramLink>('CompleteInstagramLink'),
  ListInstagramAccounts: token<ListInstagramAccounts>('ListInstagramAccounts'),
  LinkInstagramPersona: token<LinkInstagramPersona>('LinkInstagramPersona'),
  UnlinkInstagramPersona: token<UnlinkInstagramPersona>('UnlinkInstagramPersona'),
  Routes: token<Route[]>('Routes'),
  /** Extra routes for tests; empty in production. */
  ExtraRoutes: token<Route[]>('ExtraRoutes'),
  App: token<Koa<AppState>>('App'),
};
