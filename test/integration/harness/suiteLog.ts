/** Marks mocha's own lines among everything the workbench logs, so a launcher can show just those. */
export const SUITE_LOG_MARK = '[suite] ';
