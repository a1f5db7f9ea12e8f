/**
 * Which sign-in linked an account: Facebook Login (through a Facebook Page; publishing on the Facebook Graph
 * with the Page token) or Instagram Login (the account itself; publishing on the Instagram Graph).
 */
export type InstagramLogin = 'facebook' | 'instagram';

/** The Instagram business account a persona posts as. */
export interface InstagramLink {
  igUserId: string;
  igUsername: string | null;
  /** The Facebook Page of a Facebook Login link; null for Instagram Login. */
  fbPageId: string | null;
  linkedAt: Date;
  login: InstagramLogin;
}

/**
 * `date` cut to the whole second. Stored link times and token expiries are whole seconds (a MariaDB
 * `datetime` drops the fraction), so every adapter, real or fake, stores them through this.
 */
export function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** The link as stored under `parameters.instagram` (snake_case, the way the API shows it). */
export function instagramParameters(link: InstagramLink): Record<string, unknown> {
  return {
    ig_user_id: link.igUserId,
    ig_username: link.igUsername,
    fb_page_id: link.fbPageId,
    linked_at: wholeSecond(link.linkedAt).toISOString(),
    login: link.login,
  };
}

/** The persona as linking stores it: the link in its own fields and under parameters.instagram. */
export function withInstagramLink(persona: Persona, link: InstagramLink): Persona {
  return {
    ...persona,
    instagram: { ...link, linkedAt: wholeSecond(link.linkedAt) },
    parameters: { ...persona.parameters, instagram: instagramParameters(link) },
  };
}

export interface Persona {
  /** Global id. */
  id: number;
  userId: number;
  /** Per-user number: 1, 2, 3 … */
  num: number;
  name: string;
  parameters: Record<string, unknown>;
  imageUrl: string | null;
  instagram: InstagramLink | null;
}

/** How a request names one of the caller's personas. */
export type PersonaRef = { id: number } | { num: number };
