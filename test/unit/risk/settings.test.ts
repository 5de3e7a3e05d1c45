import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string | null>): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
}
const tierOf = (a: Assessment, path: string) => a.files.find((f) => f.path === path)!.tier;

const djangoSettings = L('import os', '', 'TIME_ZONE = "UTC"', '');
const worker = L('def archive(item):', '    item.close()', '    return True', '');
const workerReading = (condition: string) => L('def archive(item):', '    item.close()', `    if ${condition}:`, '        item.purge()', '    return True', '');

describe('risk: settings that ship off act as feature flags', () => {
  it('a branch behind a new Django setting that defaults to False ships dark, and so does its definition', async () => {
    const a = await run(
      { 'app/settings.py': djangoSettings, 'app/worker.py': worker },
      { 'app/settings.py': djangoSettings + L('PURGE_ARCHIVED = False', ''), 'app/worker.py': workerReading('settings.PURGE_ARCHIVED') },
    );
    assert.equal(a.tier, 'ZERO');
    assert.equal(tierOf(a, 'app/worker.py'), 'ZERO');
    assert.equal(tierOf(a, 'app/settings.py'), 'ZERO');
    assert.ok(a.files.find((f) => f.path === 'app/worker.py')!.findings.some((f) => f.rule === 'flag-off' && /PURGE_ARCHIVED/.test(f.message)));
  });

  it('a boolean read of an environment variable with no default, or a false one, is off', async () => {
    for (const def of ['PURGE_ARCHIVED = env_bool("APP_PURGE_ARCHIVED")', 'PURGE_ARCHIVED = read_boolean("APP_PURGE_ARCHIVED", default=False)', 'PURGE_ARCHIVED = os.getenv("APP_PURGE")']) {
      const a = await run(
        { 'app/settings.py': djangoSettings, 'app/worker.py': worker },
        { 'app/settings.py': djangoSettings + L(def, ''), 'app/worker.py': workerReading('settings.PURGE_ARCHIVED') },
      );
      assert.equal(a.tier, 'ZERO', def);
    }
  });

  it('a setting that defaults to on, or whose default is a truthy string, guards nothing', async () => {
    for (const def of ['PURGE_ARCHIVED = True', 'PURGE_ARCHIVED = os.getenv("APP_PURGE", "false")', 'PURGE_ARCHIVED = env_bool("APP_PURGE", True)']) {
      const a = await run(
        { 'app/settings.py': djangoSettings, 'app/worker.py': worker },
        { 'app/settings.py': djangoSettings + L(def, ''), 'app/worker.py': workerReading('settings.PURGE_ARCHIVED') },
      );
      assert.equal(tierOf(a, 'app/worker.py'), 'MEDIUM', def);
    }
  });

  it('a new setting the change does not read belongs to a library: its definition is live', async () => {
    const a = await run({ 'app/settings.py': djangoSettings }, { 'app/settings.py': djangoSettings + L('CHART_PALETTE = None', '') });
    assert.equal(a.tier, 'MEDIUM');
  });

  it('an existing setting keeps its production value: code behind it is live', async () => {
    const settings = djangoSettings + L('PURGE_ARCHIVED = False', '');
    const a = await run({ 'app/settings.py': settings, 'app/worker.py': worker }, { 'app/worker.py': workerReading('settings.PURGE_ARCHIVED') });
    assert.equal(a.tier, 'MEDIUM');
  });

  it('code that runs while the setting is off is live', async () => {
    const a = await run(
      { 'app/settings.py': djangoSettings, 'app/worker.py': worker },
      { 'app/settings.py': djangoSettings + L('PURGE_ARCHIVED = False', ''), 'app/worker.py': workerReading('not settings.PURGE_ARCHIVED') },
    );
    assert.equal(tierOf(a, 'app/worker.py'), 'MEDIUM');
  });

  it('a module constant outside the settings files is not a setting', async () => {
    const a = await run(
      { 'app/limits.py': L('MAX = 3', ''), 'app/worker.py': worker },
      { 'app/limits.py': L('MAX = 3', 'PURGE_ARCHIVED = False', ''), 'app/worker.py': workerReading('limits.PURGE_ARCHIVED') },
    );
    assert.equal(tierOf(a, 'app/worker.py'), 'MEDIUM');
  });

  it('a YAML config value set to false gates a Ruby modifier that reads it', async () => {
    const controller = L('class SearchController < ApplicationController', '  def index', '    @sources = ["local"]', '    render :index', '  end', 'end', '');
    const yml = L('defaults: &defaults', '  page_size: 20', '');
    const a = await run(
      { 'app/controllers/search_controller.rb': controller, 'config/application.yml': yml },
      {
        'app/controllers/search_controller.rb': L('class SearchController < ApplicationController', '  def index', '    @sources = ["local"]', '    @sources.push "remote" if APP_CONFIG[\'remote_enabled\']', '    render :index', '  end', 'end', ''),
        'config/application.yml': L('defaults: &defaults', '  page_size: 20', '  remote_enabled: false', ''),
      },
    );
    assert.equal(tierOf(a, 'app/controllers/search_controller.rb'), 'ZERO');
  });

  it('a new Go config field with a config-file tag defaults to its zero value: a server started only when it is set ships dark', async () => {
    const cfg = L('package config', '', 'type ServerCfg struct {', '\tPort int `ini:"port"`', '}', '');
    const main = L('package app', '', 'func Serve(cfg *Config) {', '\tlisten(cfg.Server.Port)', '}', '');
    const a = await run(
      { 'config/config.go': cfg, 'app/serve.go': main },
      {
        'config/config.go': L('package config', '', 'type ServerCfg struct {', '\tPort int `ini:"port"`', '\tMirrorPort int `ini:"mirror_port"`', '}', ''),
        'app/serve.go': L('package app', '', 'func Serve(cfg *Config) {', '\tif cfg.Server.MirrorPort > 0 {', '\t\tgo mirror(cfg)', '\t}', '\tlisten(cfg.Server.Port)', '}', ''),
      },
    );
    assert.equal(a.tier, 'ZERO');
  });

  it('a field of the same name read from another object than the configuration is not the setting', async () => {
    const cfg = L('package config', '', 'type ServerCfg struct {', '\tPort int `ini:"port"`', '}', '');
    const handler = L('package api', '', 'func Handle(u *User) {', '\tsave(u)', '}', '');
    const a = await run(
      { 'config/config.go': cfg, 'api/handle.go': handler },
      {
        'config/config.go': L('package config', '', 'type ServerCfg struct {', '\tPort int `ini:"port"`', '\tActive bool `ini:"active"`', '}', ''),
        'api/handle.go': L('package api', '', 'func Handle(u *User) {', '\tif u.Active {', '\t\tnotify(u)', '\t}', '\tsave(u)', '}', ''),
      },
    );
    assert.equal(tierOf(a, 'api/handle.go'), 'MEDIUM');
  });

  it('a Go field with a JSON tag is data, not a setting', async () => {
    const model = L('package api', '', 'type Order struct {', '\tID int `json:"id"`', '}', '');
    const handler = L('package api', '', 'func Handle(o *Order) {', '\tsave(o)', '}', '');
    const a = await run(
      { 'api/order.go': model, 'api/handle.go': handler },
      {
        'api/order.go': L('package api', '', 'type Order struct {', '\tID int `json:"id"`', '\tRush bool `json:"rush"`', '}', ''),
        'api/handle.go': L('package api', '', 'func Handle(o *Order) {', '\tif o.Rush {', '\t\tnotify(o)', '\t}', '\tsave(o)', '}', ''),
      },
    );
    assert.notEqual(a.files.find((f) => f.path === 'api/handle.go')!.tier, 'ZERO');
  });
});
