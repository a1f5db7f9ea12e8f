import { expect } from 'chai';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { CreatePersona, GetPersona, ListPersonas } from '../../core/personas/index.js';
describe('persona use cases', () => {
  let personas: InMemoryPersonaRepository;
  beforeEach(() => {
    personas = new InMemoryPersonaRepository(new InMemoryInstagramTokenStore());
  });

  it('creates personas numbered per user, listed by num', async () => {
    const create = new CreatePersona(personas);
    const a = await create.execute({ userId: 1, name: ' 하나 ', parameters: { style: '밝음' } });
    await create.execute({ userId: 2, name: 'other' });
    const b = await create.execute({ userId: 1, name: '둘' });
    expect([a.num, b.num]).to.deep.equal([1, 2]);
    expect(a).to.include({ name: '하나', imageUrl: null, instagram: null });
    expect(a.parameters).to.deep.equal({ style: '밝음' });
    expect((await new ListPersonas(personas).execute(1)).map((p) => p.name)).to.deep.equal(['하나', '둘']);
  });

  it('gives 10 parallel creates nums 1..10', async () => {
    const create = new CreatePersona(personas);
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => create.execute({ userId: 1, name: `p${i}` })));
    expect(created.map((p) => p.num).sort((x, y) => x - y)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('refuses a blank name and a parameters.instagram set by hand', async () => {
    const create = new CreatePersona(personas);
    for (const input of [{ name: '   ' }, { name: 'x', parameters: { instagram: { ig_user_id: '1' } } }]) {
      const error = await create.execute({ userId: 1, ...input }).catch((e) => e);
      expect(error.code).to.equal('validation_failed');
    }
    expect(await personas.listByUser(1)).to.deep.equal([]);
  });

  it('gets only the caller’s persona', async () => {
    const theirs = await personas.create(2, 'theirs', {});
    const error = await new GetPersona(personas).execute(1, { id: theirs.id }).catch((e) => e);
    expect(error.code).to.equal('persona_not_found');
    expect((await new GetPersona(personas).execute(2, { id: theirs.id })).name).to.equal('theirs');
  });
});
