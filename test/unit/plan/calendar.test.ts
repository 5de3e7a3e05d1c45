/** The seed's deployment timing on the calendar: every forbidden window, DST switches and year ends. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { buildPlan } from '../../../src/core/plan';
import { forbiddenBy, makeCalendar } from '../../../src/core/plan/calendar';
import type { PolicyInput } from '../../../src/core/policy/schema';
import { assessment, BERLIN, NY, policy } from './helpers';
import { isInputError } from '../../../src/core/errors';

/** Where a ZERO-risk change (one step, no wait) lands when asked to start at `start`. */
function land(start: string, zone = NY, p: PolicyInput = {}) {
  const plan = buildPlan(assessment('ZERO'), policy(p), { start: new Date(start), timezone: zone });
  const step = plan.stages[0].steps[0];
  return { start: step.start, moves: step.moved.map((m) => [m.rule, m.movedMinutes] as const), plan };
}

describe('plan: deployment windows', () => {
  it('keeps a start inside an optimal window where it is', () => {
    const r = land('2026-03-11T10:30:00-04:00');
    assert.equal(r.start, '2026-03-11T10:30:00-04:00');
    assert.deepEqual(r.moves, []);
    assert.match(r.plan.schedule.notes[0], /optimal window/);
  });

  it('moves Friday 13:00 to Monday 11:00, by the rule friday-afternoon', () => {
    const r = land('2026-03-13T13:00:00-04:00');
    assert.equal(r.start, '2026-03-16T11:00:00-04:00');
    assert.deepEqual(r.moves, [['friday-afternoon', 70 * 60]]);
    assert.match(r.plan.stages[0].steps[0].moved[0].message, /weekend incident risk.*Fri 2026-03-13 13:00 to Mon 2026-03-16 11:00 \(\+70 h\)/);
  });

  it('moves a start after 16:00 to the next morning (after-hours)', () => {
    const r = land('2026-03-10T16:30:00-04:00');
    assert.equal(r.start, '2026-03-11T10:00:00-04:00');
    assert.deepEqual(r.moves, [['after-hours', 17.5 * 60]]);
  });

  it('moves a weekend start to Monday 11:00 (weekend)', () => {
    const r = land('2026-03-14T10:00:00-04:00');
    assert.equal(r.start, '2026-03-16T11:00:00-04:00');
    assert.deepEqual(r.moves, [['weekend', 49 * 60]]);
  });

  it('moves Monday 10:30 to 11:00 and Tuesday 07:00 to 10:00 (outside the best windows)', () => {
    assert.deepEqual(land('2026-03-16T10:30:00-04:00').moves, [['outside-best-window', 30]]);
    assert.equal(land('2026-03-17T07:00:00-04:00').start, '2026-03-17T10:00:00-04:00');
  });

  it('takes the best windows, the latest start and the Friday cutoff from the policy, and says so', () => {
    const timing = { timing: { bestWindows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }], latestStart: '17:00', fridayCutoff: '15:00' } };
    // Friday 14:00 is fine for this team; 15:30 is not (their cutoff), nor 17:30 on a Tuesday.
    assert.deepEqual(land('2026-03-13T14:00:00-04:00', NY, timing).moves, []);
    const friday = land('2026-03-13T15:30:00-04:00', NY, timing);
    assert.equal(friday.start, '2026-03-16T09:00:00-04:00');
    assert.deepEqual(friday.moves, [['friday-afternoon', 65.5 * 60]]);
    assert.match(friday.plan.stages[0].steps[0].moved[0].message, /never on Friday after 15:00/);
    assert.equal(land('2026-03-10T17:30:00-04:00', NY, timing).start, '2026-03-11T09:00:00-04:00');
    const early = land('2026-03-10T08:00:00-04:00', NY, timing);
    assert.match(early.plan.stages[0].steps[0].moved[0].message, /best windows: Mon–Fri 09:00–17:00/);
  });

  it('refuses a best window that ends before it starts, naming the field', () => {
    assert.throws(
      () => land('2026-03-10T10:00:00-04:00', NY, { timing: { bestWindows: [{ days: [2], start: '14:00', end: '10:00' }] } }),
      (e: unknown) => isInputError(e) && e.where?.field === 'timing.bestWindows.0' && /^ends at 10:00, not after its start 14:00/.test(e.message),
    );
  });

  it('never starts on a holiday nor the day before it', () => {
    const holidays = { holidays: ['2026-03-12'] };
    const onHoliday = land('2026-03-12T10:00:00-04:00', NY, holidays);
    assert.equal(onHoliday.start, '2026-03-16T11:00:00-04:00', 'Thursday holiday → Monday (Friday has no window)');
    assert.deepEqual(onHoliday.moves.map((m) => m[0]), ['holiday']);
    const dayBefore = land('2026-03-11T10:00:00-04:00', NY, holidays);
    assert.deepEqual(dayBefore.moves.map((m) => m[0]), ['before-holiday', 'holiday']);
    assert.equal(dayBefore.start, '2026-03-16T11:00:00-04:00');
  });

  it('never starts during peak traffic: waits for the window to end', () => {
    const peak = { peakWindows: [{ days: [2], start: '10:00', end: '12:00' }] };
    const r = land('2026-03-10T10:30:00-04:00', NY, peak);
    assert.equal(r.start, '2026-03-10T12:00:00-04:00');
    assert.deepEqual(r.moves, [['peak-traffic', 90]]);
    assert.equal(land('2026-03-11T10:30:00-04:00', NY, peak).start, '2026-03-11T10:30:00-04:00', 'Wednesday is not a peak day');
  });

  it('handles a peak window that wraps past midnight', () => {
    const cal = makeCalendar(policy({ peakWindows: [{ start: '13:00', end: '11:00' }] }), NY);
    assert.equal(forbiddenBy(cal, new Date('2026-03-10T14:30:00Z')), 'peak-traffic', 'Tuesday 10:30 is in the early part');
    assert.equal(forbiddenBy(cal, new Date('2026-03-10T15:30:00Z')), null, 'Tuesday 11:30 is free');
    assert.equal(forbiddenBy(cal, new Date('2026-03-10T17:30:00Z')), 'peak-traffic', 'Tuesday 13:30 is in the evening part');
  });

  it('rejects peak windows that leave no allowed start, naming the field', () => {
    const allDay = { peakWindows: [{ start: '09:00', end: '15:00' }] };
    assert.throws(() => land('2026-03-10T10:00:00-04:00', NY, allDay), (e: Error) => e.name === 'InputError' && /^holidays, peakWindows: they leave no allowed deployment start/.test(e.message));
  });

  it('rejects a holiday that is no real date, naming the field', () => {
    assert.throws(() => land('2026-03-10T10:00:00-04:00', NY, { holidays: ['2026-02-30'] }), (e: unknown) => isInputError(e) && e.where?.field === 'holidays.0' && /^expected a real calendar date/.test(e.message));
  });

  it('exempts a security hotfix from every window, and says so', () => {
    const plan = buildPlan(assessment('HIGH', { securityHotfix: true }), policy(), { start: new Date('2026-03-13T18:00:00-04:00'), timezone: NY });
    assert.equal(plan.schedule.start, '2026-03-13T18:00:00-04:00');
    assert.ok(plan.stages.every((s) => s.steps.every((x) => x.moved.length === 0)));
    assert.equal(plan.schedule.securityHotfix, true);
    assert.match(plan.schedule.notes[0], /Security hotfix: exempt/);
    assert.equal(plan.checklist.find((c) => c.id === 'window')?.state, 'done');
    for (const flag of [{ p: policy({ securityHotfix: true }), o: {} }, { p: policy(), o: { securityHotfix: true } }]) {
      const p = buildPlan(assessment('LOW'), flag.p, { start: new Date('2026-03-14T03:00:00-04:00'), timezone: NY, ...flag.o });
      assert.equal(p.schedule.start, '2026-03-14T03:00:00-04:00');
    }
  });

  describe('daylight-saving switches', () => {
    it('New York, spring forward 2026-03-08: Saturday → Monday 11:00 EDT, 46 real hours', () => {
      const r = land('2026-03-07T12:00:00-05:00');
      assert.equal(r.start, '2026-03-09T11:00:00-04:00');
      assert.deepEqual(r.moves, [['weekend', 46 * 60]]);
    });

    it('New York: an 8-hour wait across the switch is 8 real hours', () => {
      const plan = buildPlan(assessment('HIGH'), policy({ securityHotfix: true }), { start: new Date('2026-03-07T20:00:00-05:00'), timezone: NY });
      const canary = plan.stages[2].steps[0];
      assert.equal(canary.start, '2026-03-07T21:00:00-05:00');
      assert.equal(canary.end, '2026-03-08T06:00:00-04:00');
      assert.equal(Date.parse(canary.end) - Date.parse(canary.start), 8 * 3_600_000);
    });

    it('Berlin, fall back 2026-10-25: Friday 13:00 → Monday 11:00 CET, 71 real hours', () => {
      const r = land('2026-10-23T13:00:00+02:00', BERLIN);
      assert.equal(r.start, '2026-10-26T11:00:00+01:00');
      assert.deepEqual(r.moves, [['friday-afternoon', 71 * 60]]);
    });

    it('Berlin: an 8-hour wait across the repeated hour is 8 real hours', () => {
      const plan = buildPlan(assessment('HIGH'), policy({ securityHotfix: true }), { start: new Date('2026-10-24T22:00:00+02:00'), timezone: BERLIN });
      const canary = plan.stages[2].steps[0];
      assert.equal(canary.start, '2026-10-24T23:00:00+02:00');
      assert.equal(canary.end, '2026-10-25T06:00:00+01:00');
    });
  });

  describe('year end', () => {
    it('Wednesday Dec 31 before a New Year holiday → Monday Jan 5', () => {
      const r = land('2025-12-31T10:00:00-05:00', NY, { holidays: ['2026-01-01'] });
      assert.equal(r.start, '2026-01-05T11:00:00-05:00');
      assert.deepEqual(r.moves.map((m) => m[0]), ['before-holiday', 'holiday']);
      assert.equal(r.moves.reduce((n, m) => n + m[1], 0), (5 * 24 + 1) * 60);
    });

    it('Thursday Dec 31 afternoon with no holidays → Monday Jan 4 of the next year', () => {
      const r = land('2026-12-31T15:00:00-05:00');
      assert.equal(r.start, '2027-01-04T11:00:00-05:00');
      assert.deepEqual(r.moves.map((m) => m[0]), ['outside-best-window']);
    });

    it('a rollout that runs over the new year keeps counting days', () => {
      const plan = buildPlan(assessment('MEDIUM'), policy({ holidays: ['2027-01-01'] }), { start: new Date('2026-12-30T10:00:00-05:00'), timezone: NY });
      assert.deepEqual(plan.stages.flatMap((s) => s.steps.map((x) => x.start.slice(0, 16))), [
        '2026-12-30T10:00', '2026-12-30T10:00', '2026-12-30T11:00', '2026-12-30T13:00', '2027-01-04T11:00',
      ]);
      assert.deepEqual(plan.stages[4].steps[0].moved.map((m) => m.rule), ['overnight', 'before-holiday']);
      assert.equal(plan.schedule.end, '2027-01-05T11:00:00-05:00');
    });
  });

  it('places every step in an allowed window, in order, with moves that add up (property)', () => {
    // Zones with odd offsets and switches: at midnight (Santiago), by 30 minutes (Lord Howe), +12:45 (Chatham).
    const zones = [NY, BERLIN, 'Asia/Kolkata', 'Australia/Sydney', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    const tiers = ['LOW', 'MEDIUM', 'HIGH'] as const;
    const from = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 60 }), fc.constantFrom(...zones), fc.constantFrom(...tiers), (minute, zone, tier) => {
        const p = policy({ holidays: ['2026-05-01', '2026-12-25'], peakWindows: [{ days: [3], start: '12:00', end: '13:00' }] });
        const plan = buildPlan(assessment(tier), p, { start: new Date(from + minute * 60000), timezone: zone });
        const cal = makeCalendar(p, zone);
        let previousEnd = from + minute * 60000;
        for (const step of plan.stages.flatMap((s) => s.steps)) {
          const start = Date.parse(step.start);
          assert.equal(forbiddenBy(cal, new Date(start)), null, `${step.start} is allowed`);
          assert.equal(Date.parse(step.end) - start, step.waitHours.min * 3_600_000);
          assert.equal(step.moved.reduce((n, m) => n + m.movedMinutes, 0), Math.round((start - previousEnd) / 60000));
          previousEnd = Date.parse(step.end);
        }
      }),
      { numRuns: 200, seed: 20260310 },
    );
  });
});
