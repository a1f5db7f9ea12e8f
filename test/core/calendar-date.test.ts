import { expect } from 'chai';
import { calendarDate } from '../../core/identity/index.js';

describe('calendarDate', () => {
  it("turns at the zone's midnight, also when asked again within the same minute or back in time", () => {
    const seoul = (iso: string) => calendarDate(new Date(iso), 'Asia/Seoul');
    expect(seoul('2026-12-05T14:59:00.000Z')).to.equal('2026-12-05');
    expect(seoul('2026-12-05T14:59:59.999Z')).to.equal('2026-12-05');
    expect(seoul('2026-12-05T15:00:00.000Z')).to.equal('2026-12-06');
    expect(seoul('2026-12-05T14:59:30.000Z')).to.equal('2026-12-05');
  });

  it('keeps zones apart, including offsets that are not whole hours', () => {
    const instant = new Date('2026-12-05T18:15:00.000Z'); // midnight in Kathmandu (+05:45)
    expect(calendarDate(instant, 'Asia/Kathmandu')).to.equal('2026-12-06');
    expect(calendarDate(new Date(instant.getTime() - 1), 'Asia/Kathmandu')).to.equal('2026-12-05');
    expect(calendarDate(instant, 'America/New_York')).to.equal('2026-12-05');
    expect(calendarDate(instant, 'Asia/Seoul')).to.equal('2026-12-06');
  });
});
