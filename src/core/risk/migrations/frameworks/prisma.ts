import type { ChangedFile, ChangedLine } from '../../../change/types';
import { quoteOf, type Judgement, type Verdict } from '../judgement';
import { verdict } from '../verdicts';

/*
 * A Prisma schema is declarative: the migration is the difference between two versions of it.
 * The diff's removed and added lines are paired by model and field name: a field or model that
 * only disappears is dropped, a field whose type or optionality changes is altered, and a new
 * required field without @default is required of running code.
 */

const FIELD = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?(?:\([^)]*\))?\s*(.*)$/;
const UNIQUE = /@unique\b/;
const BLOCK = /^\s*(model|enum|view|type)\s+(\w+)\s*\{/;

interface Field {
  model: string;
  name: string;
  type: string;
  list: boolean;
  optional: boolean;
  attrs: string;
  at: ChangedLine;
  line: number;
}

export function readPrisma(file: ChangedFile): Judgement[] {
  const lines = (file.content ?? '').split('\n');
  const blockAt = enclosingBlocks(lines);
  const models = new Set(lines.flatMap((l) => (BLOCK.exec(l)?.[1] === 'model' ? [BLOCK.exec(l)![2]!] : [])));
  const composite = new Set(lines.flatMap((l) => (/^\s*(enum|type)\s+(\w+)/.exec(l)?.[1] === 'type' ? [/^\s*type\s+(\w+)/.exec(l)![1]!] : [])));
  const out: Judgement[] = [];
  const at = (line: number, text: string, v: Verdict): void => void out.push({ ...v, line, endLine: line, quote: quoteOf(text) });

  const addedModels = new Set<string>();
  for (const a of file.addedLines) {
    const b = BLOCK.exec(a.text);
    if (b?.[1] === 'model') {
      addedModels.add(b[2]!);
      at(a.line, a.text, verdict.createTable(b[2]!));
    }
  }
  const removedModels = new Set<string>();
  for (const r of file.removedLines) {
    const b = BLOCK.exec(r.text);
    if (b?.[1] === 'model' && !models.has(b[2]!)) {
      removedModels.add(b[2]!);
      at(newLineOf(file, r.line), r.text, verdict.dropTable(b[2]!));
    }
  }

  const fieldOf = (l: ChangedLine, line: number, model: string | undefined): Field | undefined => {
    const m = FIELD.exec(l.text);
    if (!m || !model || /^\s*(\/\/|@@|model|enum|\})/.test(l.text)) return undefined;
    return { model, name: m[1]!, type: m[2]!, list: Boolean(m[3]), optional: Boolean(m[4]), attrs: m[5] ?? '', at: l, line };
  };
  const added = file.addedLines.map((l) => fieldOf(l, l.line, blockAt[l.line - 1])).filter((f): f is Field => f !== undefined);
  const removed = file.removedLines
    .map((l) => {
      const line = newLineOf(file, l.line);
      return fieldOf(l, line, removedModelAt(file, l.line) ?? blockAt[line - 1]);
    })
    .filter((f): f is Field => f !== undefined && !removedModels.has(f.model));
  // Relation fields and composite types hold no column of their own.
  const isColumn = (f: Field): boolean => !models.has(f.type) && !composite.has(f.type) && !/@relation\b/.test(f.attrs);
  const column = (f: Field): string => /@map\(\s*"([^"]+)"/.exec(f.attrs)?.[1] ?? f.name;

  for (const r of removed.filter(isColumn)) {
    const a = added.find((x) => x.model === r.model && x.name === r.name);
    if (!a) {
      at(r.line, r.at.text, verdict.dropColumn(r.model, column(r)));
      continue;
    }
    const where = a.line;
    if (column(a) !== column(r)) at(where, a.at.text, verdict.renameColumn(r.model, column(r), column(a)));
    if (a.type !== r.type || a.list !== r.list) at(where, a.at.text, verdict.changeType(r.model, column(a), `${a.type}${a.list ? '[]' : ''}`));
    else if (r.optional && !a.optional) at(where, a.at.text, verdict.setNotNull(r.model, column(a)));
    else if (!r.optional && a.optional) at(where, a.at.text, verdict.dropNotNull(r.model, column(a)));
    if (UNIQUE.test(a.attrs) && !UNIQUE.test(r.attrs)) at(where, a.at.text, verdict.addUnique(r.model, 'index', `${column(a)} unique`));
  }
  // `@@unique([a, b])` added to a model that already exists: a stricter constraint on its rows.
  const removedText = new Set(file.removedLines.map((r) => r.text.trim()));
  for (const a of file.addedLines) {
    const model = blockAt[a.line - 1];
    if (!model || addedModels.has(model) || !/^\s*@@unique\s*\(/.test(a.text) || removedText.has(a.text.trim())) continue;
    at(a.line, a.text, verdict.addUnique(model, 'index', /name:\s*"([^"]+)"/.exec(a.text)?.[1]));
  }
  for (const a of added.filter(isColumn)) {
    if (addedModels.has(a.model) || removed.some((r) => r.model === a.model && r.name === a.name)) continue;
    const hasDefault = /@default\(|@updatedAt\b/.test(a.attrs);
    if (!a.optional && !a.list && !hasDefault) at(a.line, a.at.text, verdict.addRequiredColumn(a.model, column(a), 'required without @default'));
    else at(a.line, a.at.text, verdict.addColumn(a.model, column(a), a.optional ? 'optional' : 'with a default'));
  }
  return out.sort((x, y) => x.line - y.line);
}

/** For each line of the new schema, the model/type block it is in. */
function enclosingBlocks(lines: string[]): Array<string | undefined> {
  let current: string | undefined;
  return lines.map((l) => {
    const b = BLOCK.exec(l);
    if (b) current = b[1] === 'model' ? b[2] : undefined;
    else if (/^\s*\}/.test(l)) {
      const was = current;
      current = undefined;
      return was;
    }
    return current;
  });
}

/** The model a removed line belonged to, when its `model X {` header was removed in the same hunk. */
function removedModelAt(file: ChangedFile, oldLine: number): string | undefined {
  let header: string | undefined;
  let expected = oldLine;
  for (const r of [...file.removedLines].reverse()) {
    if (r.line > oldLine) continue;
    if (r.line !== expected) break;
    const b = BLOCK.exec(r.text);
    if (b) {
      header = b[1] === 'model' ? b[2] : undefined;
      break;
    }
    if (/^\s*\}/.test(r.text) && r.line !== oldLine) break;
    expected--;
  }
  return header;
}

/** Where an old line sits in the new version: shifted by the lines removed and added before it. */
function newLineOf(file: ChangedFile, oldLine: number): number {
  let line = oldLine - file.removedLines.filter((r) => r.line < oldLine).length;
  for (let pass = 0; pass < 3; pass++) line = oldLine - file.removedLines.filter((r) => r.line < oldLine).length + file.addedLines.filter((a) => a.line < line).length;
  return Math.max(1, line);
}
