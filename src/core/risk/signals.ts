/**
 * What a file's added lines touch that calls for watching a metric of its own (the seed's "custom
 * metrics to track"): a cache, or a call out to another service. Not a risk rule — it raises no tier —
 * but the plan reads it to suggest the cache hit rate and the external API call rate.
 */
import type { ChangedLine } from '../change/types';
import { anyOf } from './paths';
import { toWords } from './rules';
import type { Signal } from './types';

export const CACHE_WORDS = / (cache|caches|cached|caching|redis|ioredis|memcache|memcached|memcachier) /;

/** Outgoing HTTP clients across the languages the risk engine reads, as written in the code. */
export const HTTP_CALLS: RegExp[] = [
  /\bfetch\s*\(/,
  /\baxios\b/,
  /\brequests\.(?:get|post|put|patch|delete|head|request|Session)\b/,
  /\bhttpx\.\w+/,
  /\bhttp\.(?:Get|Post|PostForm|Head|NewRequest(?:WithContext)?|DefaultClient)\b/,
  /\bhttps?\.(?:request|get)\s*\(/,
  /\b(?:RestTemplate|WebClient|HttpClient|OkHttpClient)\b/,
  /\bNet::HTTP\b/,
  /\b(?:Faraday|HTTParty)\b/,
  /\burllib(?:3|\.request)?\b/,
  /\bgot\s*\(/,
  /\bsuperagent\b/,
];

/** The call patterns as one test. */
const anyHttpCall = anyOf(HTTP_CALLS);

/** Cheap pre-filters, so the word split and the call patterns run only on lines that might match. */
const MAYBE_CACHE = /cach|redis|memcach/i;
const MAYBE_CALL = /fetch|axios|request|http|Http|HTTP|RestTemplate|WebClient|Faraday|HTTParty|urllib|got\s*\(|superagent/;

/** The first added line of each kind, in line order. */
export function signalsOf(lines: readonly ChangedLine[]): Signal[] {
  let cache: Signal | undefined;
  let external: Signal | undefined;
  for (const { line, text } of lines) {
    if (cache && external) break;
    if (!cache && MAYBE_CACHE.test(text) && CACHE_WORDS.test(toWords(text))) cache = { kind: 'cache', line, text: text.trim() };
    if (!external && MAYBE_CALL.test(text) && anyHttpCall(text)) external = { kind: 'external-call', line, text: text.trim() };
  }
  return [cache, external].filter((s): s is Signal => s !== undefined).sort((a, b) => a.line - b.line);
}
