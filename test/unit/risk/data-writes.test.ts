/**
 * Data writes by ecosystem, and authentication settings: a changed line is a write when its
 * statement reaches a write call of an ORM or driver the file uses, or when it declares what writes
 * do; a setting of an authentication library is auth. Fixtures are small programs of our own.
 */
import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { ecosystemsOf } from '../../../src/core/risk/rules/data-writes';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter } from './helpers';

async function change(path: string, before: string, after: string): Promise<Assessment> {
  return assess(changeSetOf({ [path]: before }, { [path]: after }), PolicySchema.parse({}), memorySearch(treeAfter({ [path]: before }, { [path]: after })));
}
/** The file's top finding as `rule TIER`. */
async function top(path: string, before: string, after: string): Promise<string> {
  const a = await change(path, before, after);
  const f = a.files[0];
  const best = [...f.findings].sort((x, y) => '0LMH'.indexOf(y.tier[0]) - '0LMH'.indexOf(x.tier[0]))[0];
  return `${best.rule} ${f.tier}`;
}
async function message(path: string, before: string, after: string): Promise<string> {
  const a = await change(path, before, after);
  return a.files[0].findings.find((f) => f.tier === 'HIGH')?.message ?? '';
}

const prismaDelete = (extra: string[]) =>
  L(
    "import { db } from '@acme/prisma';",
    '',
    'export async function purgeDrafts(accountId: number) {',
    '  await db.$transaction(async (tx) => {',
    '    await tx.draft.deleteMany({',
    '      where: {',
    ...extra,
    "        status: 'stale',",
    '      },',
    '    });',
    '  });',
    '}',
  );

describe('data writes by ecosystem', () => {
  describe('Prisma', () => {
    it('a line added to the where of a deleteMany is a write, though the call is on an unchanged line', async () => {
      assert.equal(await top('src/drafts.ts', prismaDelete([]), prismaDelete(['        accountId,'])), 'data-write-prisma HIGH');
      assert.match(await message('src/drafts.ts', prismaDelete([]), prismaDelete(['        accountId,'])), /^writes to the database \(Prisma: `tx\.draft\.deleteMany\(`\)/);
    });

    it('a line removed from that where is a write too: the delete now reaches more rows', async () => {
      assert.equal(await top('src/drafts.ts', prismaDelete(['        accountId,']), prismaDelete([])), 'data-write-prisma HIGH');
    });

    it('the same shape in a read is not a write', async () => {
      const read = (extra: string[]) => prismaDelete(extra).replace('deleteMany', 'findMany');
      assert.equal(await top('src/drafts.ts', read([]), read(['        accountId,'])), 'app-change MEDIUM');
    });

    it('a delete on a URL\'s query or an in-memory map in a Prisma file is no write', async () => {
      const service = (line: string) =>
        L("import { PrismaClient } from '@prisma/client';", '', 'export function databaseUrl(raw: string, cache: Map<string, string>) {', '  const url = new URL(raw);', line, '  return url.toString();', '}');
      assert.equal(await top('src/prisma/prisma.service.ts', service("  url.searchParams.set('connect_timeout', '10');"), service("  url.searchParams.delete('sslmode');")), 'app-change MEDIUM');
      assert.equal(await top('src/prisma/prisma.service.ts', service("  url.searchParams.set('connect_timeout', '10');"), service('  this.cache.delete(raw);')), 'app-change MEDIUM');
      assert.equal(await top('src/prisma/prisma.service.ts', service("  url.searchParams.set('connect_timeout', '10');"), service('  this.prisma.store.delete({ where: { id: 1 } });')), 'data-write-prisma HIGH');
    });

    it('a nested create inside the data of a create is a write', async () => {
      const create = (members: string[]) =>
        L(
          "import { prisma } from '../lib/prisma';",
          'export async function addBoard(name: string, ownerId: number) {',
          '  return prisma.board.create({',
          '    data: {',
          '      name,',
          ...members,
          '    },',
          '  });',
          '}',
        );
      assert.equal(await top('src/boards.ts', create([]), create(['      members: { create: [{ userId: ownerId, role: "admin" }] },'])), 'data-write-prisma HIGH');
    });

    it('logging the error of a write, in the handler chained after it, is not a write', async () => {
      const touch = (handler: string[]) =>
        L(
          "import { prisma } from '@acme/db/prisma';",
          'export function touch(id: number) {',
          '  return prisma.user',
          '    .update({ where: { id }, data: { seenAt: new Date() } })',
          ...handler,
          '}',
        );
      const after = touch(['    .catch((error) => {', '      logger.error({ error, id }, "touch failed");', '      return null;', '    });']);
      assert.equal(await top('src/touch.ts', touch(['    .catch(() => null);']), after), 'app-change MEDIUM');
    });

    it('without an import of Prisma, a model-shaped call on an unchanged line is not read as one', async () => {
      const local = prismaDelete([]).replace("import { db } from '@acme/prisma';", "import { db } from './memory';");
      assert.equal(await top('src/drafts.ts', local, local.replace("        status: 'stale',", "        status: 'stale',\n        accountId,")), 'app-change MEDIUM');
    });
  });

  describe('SQLAlchemy and Django', () => {
    it('a Core delete built on a table is a write; a dict update in the same file is not', async () => {
      const core = (cond: string) =>
        L('from sqlalchemy import delete', 'from sqlalchemy.orm import Session', '', 'def prune(session: Session, table, keep):', `    stmt = table.delete().where(${cond})`, '    session.execute(stmt)');
      assert.equal(await top('app/prune.py', core('table.c.id.in_(keep)'), core('table.c.id.notin_(keep)')), 'data-write-sqlalchemy HIGH');
      const dict = (v: string) => L('from sqlalchemy.orm import Session', '', 'def defaults(options):', `    options.update({"limit": ${v}})`, '    return options');
      assert.equal(await top('app/defaults.py', dict('10'), dict('20')), 'app-change MEDIUM');
    });

    it('an argument of a queryset update over several lines is a write', async () => {
      const django = (who: string) =>
        L('from django.db import transaction', 'from .models import Entry', '', 'def archive(user):', '    Entry.objects.filter(', `        ${who},`, '    ).update(archived=True)');
      assert.equal(await top('journal/archive.py', django('owner=user'), django('owner=user, pinned=False')), 'data-write-django HIGH');
    });
  });

  describe('GORM', () => {
    const model = (tag: string) => L('package model', '', 'type Note struct {', '\tID   uint', `\tBody string \`gorm:"${tag}" json:"body"\``, '}');

    it("a column's type changed in a model's tag is a write: AutoMigrate alters the column", async () => {
      assert.equal(await top('model/note.go', model('size:255'), model('type:text;size:255')), 'data-write-gorm HIGH');
      assert.match(await message('model/note.go', model('size:255'), model('type:text;size:255')), /type changed/);
    });

    it('only index options changed: no column changes, so no data write', async () => {
      assert.equal(await top('model/note.go', model('index:idx_body'), model('index:idx_body,length:64')), 'app-change MEDIUM');
    });

    it('a Delete chained over two lines is a write', async () => {
      const del = (cond: string) =>
        L('package store', '', 'import "gorm.io/gorm"', '', 'func Purge(db *gorm.DB, owner uint) error {', `\treturn db.Where(${cond}).`, '\t\tDelete(&Note{}).Error', '}');
      assert.equal(await top('store/purge.go', del('"owner_id = ?", owner'), del('"owner_id = ? AND pinned = false", owner')), 'data-write-gorm HIGH');
    });
  });

  describe('JPA and SQL in strings', () => {
    it("the isolation of a @Transactional around a service's writes is a data-write finding", async () => {
      const svc = (ann: string) =>
        L(
          'package app;',
          'import org.springframework.transaction.annotation.Transactional;',
          'public class Ledger {',
          `    ${ann}`,
          '    public void settle(long id) {',
          '        helper.settle(id);',
          '    }',
          '}',
        );
      assert.equal(await top('src/main/java/app/Ledger.java', svc('@Transactional'), svc('@Transactional(isolation = Isolation.SERIALIZABLE)')), 'data-write-jpa HIGH');
    });

    it('the SET line of an UPDATE written as concatenated strings is a write', async () => {
      const q = (set: string) =>
        L(
          'package app;',
          'public class Jobs {',
          '    void reset(EntityManager em) {',
          '        em.createNativeQuery("UPDATE job j " +',
          `            "SET ${set} " +`,
          '            "WHERE j.state = 3").executeNow();',
          '    }',
          '}',
        );
      assert.equal(await top('src/main/java/app/Jobs.java', q('j.state = 1'), q('state = 1')), 'data-write-sql HIGH');
    });

    it('in a .sql file of named queries, a changed line of an upsert is a write; of a select, it is not', async () => {
      const file = (when: string, col: string) =>
        L(
          '-- name: upsert-member',
          'INSERT INTO members (team_id, user_id, role) VALUES ($1, $2, $3)',
          '  ON CONFLICT (team_id, user_id) DO UPDATE',
          `  SET role = CASE WHEN ${when} THEN members.role ELSE $3 END;`,
          '',
          '-- name: get-members',
          `SELECT ${col} FROM members WHERE team_id = $1;`,
        );
      assert.equal(await top('queries/members.sql', file("members.role = 'owner'", 'user_id'), file("members.role IN ('owner', 'admin')", 'user_id')), 'data-write-sql HIGH');
      assert.notEqual(await top('queries/members.sql', file("members.role = 'owner'", 'user_id'), file("members.role = 'owner'", 'user_id, role')), 'data-write-sql HIGH');
    });
  });

  describe('ActiveRecord', () => {
    it('an association that destroys dependents is a write; a plain one is not', async () => {
      const model = (assoc: string) => L('class Project < ApplicationRecord', '  belongs_to :owner', ...(assoc ? [assoc] : []), 'end');
      assert.equal(await top('app/models/project.rb', model(''), model('  has_many :tasks, dependent: :destroy')), 'data-write-activerecord HIGH');
      assert.notEqual(await top('app/models/project.rb', model(''), model('  has_many :tasks')), 'data-write-activerecord HIGH');
    });
  });

  describe('which ecosystems a file uses', () => {
    it('reads imports, not words: a file that mentions Sequelize in a comment does not use it', () => {
      const ids = (path: string, lang: 'js' | 'python' | 'go', content: string) => ecosystemsOf(path, lang, content).map((e) => e.id).filter((id) => id !== 'data-write-sql');
      assert.deepEqual(ids('a.ts', 'js', "import { Model } from 'sequelize';"), ['data-write-sequelize']);
      assert.deepEqual(ids('a.ts', 'js', '// we moved off sequelize last year'), []);
      assert.deepEqual(ids('a.ts', 'js', "import { Repository } from 'typeorm';"), ['data-write-typeorm']);
      assert.deepEqual(ids('a.ts', 'js', "import { eq } from 'drizzle-orm';"), ['data-write-drizzle']);
      assert.deepEqual(ids('a.py', 'python', 'import sqlalchemy as sa'), ['data-write-sqlalchemy']);
      assert.deepEqual(ids('a.go', 'go', 'type T struct {\n\tA int `gorm:"not null"`\n}'), ['data-write-gorm']);
    });
  });
});

describe('authentication settings', () => {
  it('a django-axes setting is auth; another setting is not', async () => {
    const settings = (extra: string) => L('TIME_ZONE = "UTC"', 'AXES_FAILURE_LIMIT = 5', extra);
    assert.equal(await top('mysite/settings/base.py', settings(''), settings('AXES_COOLOFF_TIME = 2')), 'auth-settings HIGH');
    assert.notEqual(await top('mysite/settings/base.py', settings(''), settings('LANGUAGE_CODE = "en"')), 'auth-settings HIGH');
  });

  it('a line inside a Doorkeeper initializer is auth; a line of another initializer is not', async () => {
    const init = (lib: string, body: string) => L(`${lib}.configure do`, `  ${body}`, 'end');
    assert.equal(await top('config/initializers/doorkeeper.rb', init('Doorkeeper', 'force_ssl_in_redirect_uri { |uri| uri.host != "localhost" }'), init('Doorkeeper', 'force_ssl_in_redirect_uri { |uri| !%w[localhost ::1].include?(uri.host) }')), 'auth-settings HIGH');
    assert.notEqual(await top('config/initializers/sidekiq.rb', init('Sidekiq', 'poll 5'), init('Sidekiq', 'poll 10')), 'auth-settings HIGH');
  });

  it("a method added to a subclass of an authentication module's class is auth", async () => {
    const mw = (extra: string[]) =>
      L('from django.contrib.auth.middleware import RemoteUserMiddleware', '', '', 'class ProxyUser(RemoteUserMiddleware):', '    header = "HTTP_X_USER"', ...extra);
    assert.equal(await top('mysite/proxy.py', mw([]), mw(['', '    def process_request(self, request):', '        if request.path.startswith("/api/"):', '            return None', '        return super().process_request(request)'])), 'auth HIGH');
  });
});
