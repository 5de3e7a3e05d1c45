/** Wall time ↔ UTC with Intl only: offsets, daylight-saving gaps and overlaps, ISO output and parsing. */
import { strict as assert } from 'node:assert';
import { addDays, checkTimeZone, fromWallTime, parseIsoInZone, toIsoInZone, wallTime } from '../../../src/core/plan/zone';
import { BERLIN, NY } from './helpers';
import { isInputError } from '../../../src/core/errors';

describe('plan: time zones', () => {
  it('writes ISO-8601 with the zone\'s offset on either side of a switch', () => {
    assert.equal(toIsoInZone(new Date('2026-03-06T15:00:00Z'), NY), '2026-03-06T10:00:00-05:00');
    assert.equal(toIsoInZone(new Date('2026-03-10T14:00:00Z'), NY), '2026-03-10T10:00:00-04:00');
    assert.equal(toIsoInZone(new Date('2026-10-23T11:00:00Z'), BERLIN), '2026-10-23T13:00:00+02:00');
    assert.equal(toIsoInZone(new Date('2026-10-26T10:00:00Z'), BERLIN), '2026-10-26T11:00:00+01:00');
    assert.equal(toIsoInZone(new Date('2026-06-01T12:00:00Z'), 'Asia/Kolkata'), '2026-06-01T17:30:00+05:30');
    assert.equal(toIsoInZone(new Date('2026-06-01T12:00:00Z'), 'UTC'), '2026-06-01T12:00:00+00:00');
  });

  it('pushes a wall time inside the spring-forward gap past it (New York, 2026-03-08 02:30 → 03:30 EDT)', () => {
    const t = fromWallTime({ year: 2026, month: 3, day: 8 }, 2, 30, NY);
    assert.equal(toIsoInZone(t, NY), '2026-03-08T03:30:00-04:00');
    assert.equal(t.toISOString(), '2026-03-08T07:30:00.000Z');
  });

  it('takes the earlier of an ambiguous fall-back hour (Berlin, 2026-10-25 02:30 → +02:00)', () => {
    const t = fromWallTime({ year: 2026, month: 10, day: 25 }, 2, 30, BERLIN);
    assert.equal(toIsoInZone(t, BERLIN), '2026-10-25T02:30:00+02:00');
    assert.equal(t.toISOString(), '2026-10-25T00:30:00.000Z');
  });

  it('round-trips every hour of a DST-switch day', () => {
    for (const [zone, day] of [[NY, 8], [BERLIN, 25]] as const) {
      const month = zone === NY ? 3 : 10;
      for (let h = 0; h < 24; h++) {
        const t = fromWallTime({ year: 2026, month, day }, h, 15, zone);
        const w = wallTime(t, zone);
        // Only the skipped hour may read differently (one hour later); every other hour reads back as given.
        const skipped = zone === NY && h === 2;
        assert.equal(w.hour, skipped ? 3 : h, `${zone} ${h}:15`);
        assert.equal(w.minute, 15);
      }
    }
  });

  it('adds days across months and the year end', () => {
    assert.deepEqual(addDays({ year: 2026, month: 12, day: 31 }, 1), { year: 2027, month: 1, day: 1 });
    assert.deepEqual(addDays({ year: 2028, month: 2, day: 28 }, 1), { year: 2028, month: 2, day: 29 });
    assert.deepEqual(addDays({ year: 2026, month: 1, day: 1 }, -1), { year: 2025, month: 12, day: 31 });
  });

  it('parses --start with an offset, with Z, or as wall time in the zone', () => {
    assert.equal(parseIsoInZone('2026-03-10T10:00:00-05:00', NY).toISOString(), '2026-03-10T15:00:00.000Z');
    assert.equal(parseIsoInZone('2026-03-10T10:00Z', NY).toISOString(), '2026-03-10T10:00:00.000Z');
    assert.equal(parseIsoInZone('2026-03-10T10:00', NY).toISOString(), '2026-03-10T14:00:00.000Z');
    assert.equal(parseIsoInZone('2026-03-10', BERLIN).toISOString(), '2026-03-09T23:00:00.000Z');
  });

  it('rejects a bad --start or time zone with one line naming it and what was expected', () => {
    for (const bad of ['tomorrow', '2026-02-30T10:00', '2026-03-10T25:00', '10/03/2026', '2026-03-10T10:00+25:00', '']) {
      assert.throws(() => parseIsoInZone(bad, NY), (e: unknown) => isInputError(e) && e.where?.field === 'start' && e.message.startsWith('expected an ISO-8601 time') && !e.message.includes('\n'), bad);
    }
    assert.throws(() => checkTimeZone('Europe/Atlantis'), (e: unknown) => isInputError(e) && e.where?.field === 'timezone' && /^expected an IANA time zone/.test(e.message));
    assert.equal(checkTimeZone(BERLIN), BERLIN);
  });
});
