import type { Persona } from '../../core/personas/index.js';
import { everyField } from './schemas.js';

/** A persona as the API shows it. */
export function personaJson(persona: Persona) {
  const { instagram } = persona;
  return {
    id: persona.id,
    num: persona.num,
    name: persona.name,
    parameters: persona.parameters,
    image_url: persona.imageUrl,
    instagram: instagram && {
      ig_user_id: instagram.igUserId,
      ig_username: instagram.igUsername,
      fb_page_id: instagram.fbPageId,
      linked_at: instagram.linkedAt.toISOString(),
      login: instagram.login,
    },
  };
}

const nullableString = { type: ['string', 'null'] };

export const PERSONA_SCHEMA = everyField({
  id: { type: 'integer' },
  num: { type: 'integer' },
  name: { type: 'string', examples: ['지우'] },
  parameters: { type: 'object' },
  image_url: nullableString,
  instagram: everyField(
    {
      ig_user_id: { type: 'string' },
      ig_username: nullableString,
      fb_page_id: nullableString,
      linked_at: { type: 'string', format: 'date-time' },
      login: { enum: ['facebook', 'instagram'], description: 'the sign-in that linked it: Facebook Login or Instagram Login' },
    },
    { nullable: true },
  ),
});
