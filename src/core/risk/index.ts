import type { ChangeSet, RepoSearch } from '../change/types';
import type { Policy } from '../policy/schema';
import type { Assessment } from './types';

export * from './types';

/** Places a change in the seed's risk tiers. Pure apart from the reference lookups through `search`. */
export async function assess(_change: ChangeSet, _policy: Policy, _search: RepoSearch): Promise<Assessment> {
  throw new Error('assess: not built yet');
}
