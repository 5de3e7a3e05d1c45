/** The seed's four risk tiers, lowest first. */
export const TIERS = ['ZERO', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Tier = (typeof TIERS)[number];

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** The higher of the given tiers; ZERO when there are none. */
export function maxTier(...tiers: Tier[]): Tier {
  let best: Tier = 'ZERO';
  for (const t of tiers) if (tierRank(t) > tierRank(best)) best = t;
  return best;
}

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}
