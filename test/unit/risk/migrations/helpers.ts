import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ChangedFile } from '../../../../src/core/change/types';
import type { Finding } from '../../../../src/core/risk/types';

export const FIXTURES = path.resolve(__dirname, '../../../fixtures/migrations');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A new file as the change reader reports it. */
export function added(filePath: string, content: string): ChangedFile {
  const lines = content.split('\n');
  return {
    path: filePath,
    status: 'added',
    binary: false,
    submodule: false,
    linesAdded: lines.length,
    linesDeleted: 0,
    ranges: [{ start: 1, end: lines.length }],
    addedLines: lines.map((text, i) => ({ line: i + 1, text })),
    removedLines: [],
    content,
  };
}

/** `line rule` of each finding, the shape a reader scans in the editor's problem list. */
export function lines(findings: Finding[] | null): string[] {
  return (findings ?? []).map((f) => `${f.line} ${f.rule}`);
}

export function at(findings: Finding[] | null, line: number): Finding[] {
  return (findings ?? []).filter((f) => f.line === line);
}
