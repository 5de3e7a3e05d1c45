export { parseDuration, shortDuration } from './duration';
export { DEFAULT_HTTP, PrometheusUnavailable, queryRangeUrl, type HttpOptions } from './http';
export { MAX_POINTS_PER_QUERY, planEndMs, rangeChunks } from './range';
export { checkQueries, fetchTrace, type FetchedTrace, type ReplaySource, type SavedTrace } from './replay';
