/**
 * The boundaries of the code are lint rules (eslint.config.mjs). Each is run here on a small
 * source with the project's own config: a violating import is flagged with the rule's reason, and
 * the import the boundary allows is not, so a rule that stops matching (a renamed folder, a
 * config object that replaces another) fails this test instead of passing silently.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..');

async function problems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

async function flagged(file: string, code: string, reason: RegExp): Promise<void> {
  const found = await problems(file, code);
  assert.equal(found.length, 1, `${file}: expected one problem for ${code.trim()}, got ${JSON.stringify(found)}`);
  assert.match(found[0], reason);
}

async function allowed(file: string, code: string): Promise<void> {
  assert.deepEqual(await problems(file, code), [], `${file}: ${code.trim()}`);
}

describe('the boundaries of the code, as lint rules', function () {
  this.timeout(60_000);

  it('the view imports only its own files and src/protocol', async () => {
    await flagged('webview/someTab.ts', "import { formatValue } from '../src/core/sim/format';\n", /imports only its own files and src\/protocol/);
    await flagged('webview/someTab.ts', "import { TOKEN_KEY } from '../src/extension/prometheus';\n", /imports only its own files and src\/protocol/);
    await flagged('webview/someTab.ts', "import * as vscode from 'vscode';\n", /must not import vscode/);
    await allowed('webview/someTab.ts', "import type { PlanView } from '../src/protocol/messages';\nimport { percent } from './format';\nimport { Chart } from 'chart.js';\n");
  });

  it('src/core never imports vscode, src/extension or src/cli', async () => {
    await flagged('src/core/change/x.ts', "import * as vscode from 'vscode';\n", /src\/core must not import vscode/);
    await flagged('src/core/pipeline.ts', "import { settings } from '../extension/settings';\n", /src\/core must not import src\/extension/);
    await flagged('src/core/policy/x.ts', "import { describeForCli } from '../../cli/fields';\n", /src\/core must not import src\/extension, src\/cli/);
    await allowed('src/core/policy/x.ts', "import { InputError } from '../errors';\nimport { POLICY_FILE } from './name';\n");
  });

  it('the planner imports only risk/types, the risk index and the catalogue; the simulator nothing of risk', async () => {
    const planner = /planner reads the Assessment \(risk\/types\) or risk's index, never the rules/;
    await flagged('src/core/plan/metrics.ts', "import { toWords } from '../risk/rules';\n", planner);
    await flagged('src/core/plan/metrics.ts', "import { CACHE_WORDS } from '../risk/signals';\n", planner);
    await flagged('src/core/plan/checklist.ts', "import { ECOSYSTEMS } from '../risk/rules/data-writes';\n", planner);
    await flagged('src/core/plan/pattern.ts', "import type { PathKind } from '../risk/paths';\n", planner);
    await flagged('src/core/sim/x.ts', "import { judgeFile } from '../risk/file';\n", /simulator reads the plan/);
    await flagged('src/core/sim/x.ts', "import type { Assessment } from '../risk';\n", /simulator reads the plan/);
    // The core-wide rules still hold where the risk rule replaces their options.
    await flagged('src/core/sim/x.ts', "import * as vscode from 'vscode';\n", /must not import vscode/);
    await flagged('src/core/plan/x.ts', "import { log } from '../../extension/log';\n", /must not import src\/extension/);
    await allowed('src/core/plan/x.ts', "import type { Assessment } from '../risk/types';\nimport { toWords } from '../risk';\nimport { inGroup } from '../catalog';\n");
    await allowed('src/core/sim/x.ts', "import type { RolloutPlan } from '../plan/schema';\nimport { TIERS } from '../tier';\n");
  });

  it('the rule catalogue imports nothing but the tiers, so every bundle and the view may share it', async () => {
    const reason = /rule catalogue imports nothing but \.\/tier/;
    await flagged('src/core/catalog.ts', "import type { ChangedFile } from './change/types';\n", reason);
    await flagged('src/core/catalog.ts', "import * as path from 'node:path';\n", reason);
    await allowed('src/core/catalog.ts', "import type { Tier } from './tier';\n");
    // The planner and the light bundle import it at run time.
    await allowed('src/core/plan/x.ts', "import { inGroup, irreversible } from '../catalog';\n");
    await allowed('src/extension/status/model.ts', "import { irreversible } from '../../core/catalog';\n");
  });

  it('the light bundle reaches the heavy modules through src/extension/core.ts only', async () => {
    const reason = /Activation must stay light/;
    await flagged('src/extension/commands.ts', "import { PlanPanel } from './panel/planPanel';\n", reason);
    await flagged('src/extension/session.ts', "import { planFor } from '../core/pipeline';\n", reason);
    await flagged('src/extension/status.ts', "import { assess } from '../core/risk';\n", reason);
    await flagged('src/extension/lenses/provider.ts', "import { HostToWebviewSchema } from '../../protocol/messages';\n", reason);
    await flagged('src/extension/extension.ts', "import { pipeline } from './heavy';\n", reason);
    await flagged('src/extension/testApi.ts', "import { z } from 'zod';\n", /zod is in the heavy bundle/);
    // Types cost nothing at run time, and the heavy side itself may import anything.
    await allowed('src/extension/session.ts', "import type { LoadedPolicy } from '../core/pipeline';\nimport { loadEngine } from './core';\nimport { tierRank } from '../core/tier';\n");
    await allowed('src/extension/panel/planPanel.ts', "import * as pipeline from '../../core/pipeline';\n");
    await allowed('src/extension/heavy.ts', "export { PlanPanel } from './panel/planPanel';\n");
  });
});
