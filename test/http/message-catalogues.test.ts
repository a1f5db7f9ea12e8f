import { expect } from 'chai';
import { MESSAGE_KEYS, message } from '../../core/shared/index.js';
import { CATALOGUES, LANGUAGES, wordsOf } from '../../adapters/http/messages/catalogue.js';

const HANGUL = /\p{Script=Hangul}/u;
/** Values for every blank a sentence may name, so that a function sentence can be read. */
const PARAMS = {
  provider: 'kakao',
  type: 'image/png',
  max: 10,
  min: 1,
  birthday: '2023-02-30',
  status: 'declined',
  localAt: '2027-03-14T02:30',
  timeZone: 'America/New_York',
  types: 'image/png',
  said: 'Only JPEG images can be published.',
};

describe('message catalogues (one per language, at the HTTP edge)', () => {
  it('word every key of core/shared/errors.ts in every language, and nothing else', () => {
    for (const language of LANGUAGES) expect(Object.keys(CATALOGUES[language]).sort(), language).to.deep.equal([...MESSAGE_KEYS].sort());
  });

  it('have a sentence for each key in English, and in Korean written in Hangul', () => {
    const lacking = MESSAGE_KEYS.flatMap((key) => {
      const en = wordsOf(message(key, PARAMS), 'en');
      const ko = wordsOf(message(key, PARAMS), 'ko');
      if (key === 'permission_status') return ko === en ? [] : [`${key}: Meta's status is passed on as Meta says it`];
      return [...(en.trim() ? [] : [`${key}: no English`]), ...(HANGUL.test(ko) ? [] : [`${key}: no Korean`])];
    });
    expect(lacking).to.deep.equal([]);
  });

  it('fill a sentence with the values the message names', () => {
    const said = message('birthday_not_calendar_date', { birthday: '2023-02-30' });
    expect(wordsOf(said, 'en')).to.equal('2023-02-30 is not a real calendar date.');
    expect(wordsOf(said, 'ko')).to.equal('2023-02-30은(는) 달력에 없는 날짜예요.');
    expect(wordsOf({ words: { en: 'is not allowed', ko: '허용되지 않아요' } }, 'ko')).to.equal('허용되지 않아요');
  });
});
