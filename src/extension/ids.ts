/**
 * The names the light and the heavy bundle share: the webview's view type and every command id.
 * No imports, so either bundle can use it without pulling anything else in.
 */
export const VIEW_TYPE = 'rolloutLens.plan';

export const COMMANDS = {
  generatePlan: 'rolloutLens.generatePlan',
  openPlanAt: 'rolloutLens.openPlanAt',
  showRemoved: 'rolloutLens.showRemoved',
  howToSplit: 'rolloutLens.howToSplitMigration',
  simulate: 'rolloutLens.simulate',
  copyPlanMarkdown: 'rolloutLens.copyPlanMarkdown',
  openPolicy: 'rolloutLens.openPolicy',
  refresh: 'rolloutLens.refresh',
  showLog: 'rolloutLens.showLog',
  setPrometheusToken: 'rolloutLens.setPrometheusToken',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
