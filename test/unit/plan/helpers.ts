/** Builders of assessments and policies for plan tests: what the risk engine would hand the planner. */
import type { Policy, PolicyInput } from '../../../src/core/policy/schema';
import { PolicySchema } from '../../../src/core/policy/schema';
import type { Assessment, FileAssessment, FlagExposure, Finding, PathKind } from '../../../src/core/risk/types';
import type { Tier } from '../../../src/core/tier';

/** A changed file; its kind is what the risk step gives with such findings (a `test` finding comes from a test file) unless given. */
export function file(path: string, tier: Tier, findings: Partial<Finding>[] = [], kind?: PathKind): FileAssessment {
  const byPath = findings.find((f) => f.rule === 'test' || f.rule === 'docs')?.rule as 'test' | 'docs' | undefined;
  return {
    path,
    status: 'modified',
    kind: kind ?? byPath ?? 'code',
    tier,
    findings: findings.map((f) => ({ rule: 'api', tier, line: 1, message: 'changes an API', ...f })),
    ranges: [{ start: 1, end: 3 }],
    linesAdded: 3,
    linesDeleted: 0,
  };
}

export function assessment(tier: Tier, opts: { files?: FileAssessment[]; flags?: FlagExposure[]; securityHotfix?: boolean } = {}): Assessment {
  const files = opts.files ?? [];
  return {
    tier,
    files,
    summary: { filesChanged: files.length, linesAdded: files.reduce((n, f) => n + f.linesAdded, 0), linesDeleted: 0 },
    flags: opts.flags ?? [],
    ...(opts.securityHotfix ? { securityHotfix: true } : {}),
  };
}

export function policy(input: PolicyInput = {}): Policy {
  return PolicySchema.parse(input);
}

export const NY = 'America/New_York';
export const BERLIN = 'Europe/Berlin';
