import { strict as assert } from 'node:assert';
import type { ChangedFile } from '../../../../src/core/change/types';
import { analyzeMigration } from '../../../../src/core/risk/migrations';

/** A modified schema.prisma: the new text plus the diff's removed and added lines. */
function schemaChange(content: string, removed: Array<[number, string]>, addedLines: Array<[number, string]>): ChangedFile {
  return {
    path: 'prisma/schema.prisma',
    status: 'modified',
    binary: false,
    submodule: false,
    linesAdded: addedLines.length,
    linesDeleted: removed.length,
    ranges: addedLines.map(([line]) => ({ start: line, end: line })),
    addedLines: addedLines.map(([line, text]) => ({ line, text })),
    removedLines: removed.map(([line, text]) => ({ line, text })),
    content,
  };
}

const NEW = `model User {
  id        Int      @id @default(autoincrement())
  fullName  String
  nickname  String?
  tenantId  Int
  active    Boolean  @default(true)
  score     BigInt
  phone     String
  posts     Post[]
}

model Post {
  id       Int  @id
  author   User @relation(fields: [authorId], references: [id])
  authorId Int
}
`;

describe('Prisma schema changes', () => {
  it('pairs removed and added lines by model and field', async () => {
    const f = await analyzeMigration(
      schemaChange(
        NEW,
        [
          [3, '  name      String'],
          [4, '  email     String   @unique'],
          [6, '  score     Int'],
          [7, '  phone     String?'],
          [10, 'model Session {'],
          [11, '  id    Int @id'],
          [12, '}'],
          [13, ''],
        ],
        [
          [3, '  fullName  String'],
          [4, '  nickname  String?'],
          [5, '  tenantId  Int'],
          [6, '  active    Boolean  @default(true)'],
          [7, '  score     BigInt'],
          [8, '  phone     String'],
        ],
      ),
    );
    assert.ok(f);
    const msgs = f.map((x) => `${x.line} ${x.rule}: ${x.message}`);
    const has = (re: RegExp): void => assert.ok(msgs.some((m) => re.test(m)), `${re} in\n${msgs.join('\n')}`);
    has(/^3 migration-breaking: drops column `User.name`/);
    has(/migration-breaking: drops column `User.email`/);
    has(/^4 migration: adds column `User.nickname` \(optional\)/);
    has(/^5 migration-breaking: adds column `User.tenantId` required without @default/);
    has(/^6 migration: adds column `User.active` \(with a default\)/);
    has(/^7 migration-breaking: changes column `User.score` to type `BigInt`/);
    has(/^8 migration-breaking: makes column `User.phone` NOT NULL/);
    has(/migration-breaking: drops table `Session`/);
    assert.ok(!msgs.some((m) => /Session\.id/.test(m)), 'fields of a dropped model are part of the drop');
  });

  it('a new model is one backward-compatible finding; relation fields add no column', async () => {
    const content = `${NEW}\nmodel Tag {\n  id   Int    @id\n  name String\n}\n`;
    const start = NEW.split('\n').length + 1;
    const f = await analyzeMigration(
      schemaChange(content, [], [
        [start, 'model Tag {'],
        [start + 1, '  id   Int    @id'],
        [start + 2, '  name String'],
        [start + 3, '}'],
        [14, '  author   User @relation(fields: [authorId], references: [id])'],
      ]),
    );
    assert.deepEqual(
      f?.map((x) => `${x.line} ${x.rule} ${x.message}`),
      [`${start} migration creates table \`Tag\`: backward compatible`],
    );
  });

  it('@unique on an existing field, or @@unique added to an existing model, is a stricter constraint on its rows', async () => {
    const content = NEW.replace('  phone     String\n', '  phone     String   @unique\n').replace('  authorId Int\n}', '  authorId Int\n  slug     String?\n  @@unique([authorId, slug])\n}');
    const f = await analyzeMigration(
      schemaChange(content, [[8, '  phone     String']], [
        [8, '  phone     String   @unique'],
        [17, '  slug     String?'],
        [18, '  @@unique([authorId, slug])'],
      ]),
    );
    const msgs = f!.map((x) => `${x.line} ${x.rule}: ${x.message}`);
    assert.ok(msgs.some((m) => /^8 migration-breaking: adds a unique index `phone unique` to the existing table `User`/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^18 migration-breaking: adds a unique index to the existing table `Post`/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^17 migration: adds column `Post.slug` \(optional\)/.test(m)), msgs.join('\n'));
  });
});
