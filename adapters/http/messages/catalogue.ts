import type { DetailMessage, Message, MessageKey, MessageParams } from '../../../core/shared/index.js';
import { EN } from './en.js';
import { KO } from './ko.js';

/** A sentence, or one that names the message's values. */
export type Sentence = string | ((params: MessageParams) => string);

/** Every message key worded in one language: TypeScript refuses a catalogue that misses one. */
export type Catalogue = Readonly<Record<MessageKey, Sentence>>;

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en: EN, ko: KO };

/** The language a request prefers of those the catalogues have (Accept-Language; English unless Korean is preferred). */
export function preferredLanguage(request: { acceptsLanguages(...languages: string[]): string | false }): Language {
  return request.acceptsLanguages('en', 'ko') === 'ko' ? 'ko' : 'en';
}

/** `said` in `language`. */
export function wordsOf(said: Message | DetailMessage, language: Language): string {
  if ('words' in said) return said.words[language] ?? said.words.en;
  const sentence = CATALOGUES[language][said.key];
  return typeof sentence === 'string' ? sentence : sentence(said.params ?? {});
}
