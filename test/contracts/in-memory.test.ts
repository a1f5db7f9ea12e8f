import { InMemorySessionStore } from '../../adapters/fakes/in-memory-session-store.js';
import { InMemoryUserRepository } from '../../adapters/fakes/in-memory-user-repository.js';
import { describeSessionStore } from './session-store.contract.js';
import { describeUserRepository } from './user-repository.contract.js';

const noop = async () => {};

describeUserRepository('in-memory fake', async () => ({ repo: new InMemoryUserRepository(), teardown: noop }));
describeSessionStore('in-memory fake', async () => ({ store: new InMemorySessionStore(), teardown: noop }));
