/** The seed's tables, as data: the defaults every policy starts from. */

export const METRICS = ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts'] as const;
export type BuiltinMetric = (typeof METRICS)[number];

export interface MetricGateDefaults {
  label: string;
  unit: string;
  /** The seed's baseline, as a number in the metric's unit. */
  baseline: number;
  /** 'above': bad when the value rises over the threshold; 'below': bad when it falls under. */
  direction: 'above' | 'below';
  warning: number;
  critical: number;
  /** The seed's "Action" column. */
  action: string;
  /** Minutes a critical reading must last before it rolls back (latency: "Level 1 if sustained"). 0 = at once. */
  sustainMinutes: number;
  /** Samples in a row over a threshold before the gate fires. */
  consecutive: number;
  /** Whether a critical reading also opens an incident (security alerts). */
  incident: boolean;
}

/** The seed's "Required Dashboard Metrics" table. */
export const DEFAULT_GATES: Record<BuiltinMetric, MetricGateDefaults> = {
  error_rate: {
    label: 'Error rate', unit: '%', baseline: 0.05, direction: 'above', warning: 0.2, critical: 0.5,
    action: 'Level 1 rollback', sustainMinutes: 0, consecutive: 1, incident: false,
  },
  latency_p95_ms: {
    label: 'Latency p95', unit: 'ms', baseline: 150, direction: 'above', warning: 300, critical: 500,
    action: 'Investigate, Level 1 if sustained', sustainMinutes: 10, consecutive: 1, incident: false,
  },
  success_rate: {
    label: 'Success rate', unit: '%', baseline: 99.95, direction: 'below', warning: 99.8, critical: 99.5,
    action: 'Level 1 rollback', sustainMinutes: 0, consecutive: 1, incident: false,
  },
  db_errors_per_min: {
    label: 'Database errors', unit: '/min', baseline: 5, direction: 'above', warning: 10, critical: 50,
    action: 'Level 1, investigate DB', sustainMinutes: 0, consecutive: 1, incident: false,
  },
  security_alerts: {
    // "ANY" is both warning and critical: a single alert (> 0) rolls back at once.
    label: 'Security alerts', unit: 'count', baseline: 0, direction: 'above', warning: 0, critical: 0,
    action: 'Immediate Level 1 + incident', sustainMinutes: 0, consecutive: 1, incident: true,
  },
};

/** The seed's deployment timing rules, as policy defaults. Times are local to the policy's time zone. */
export const DEFAULT_TIMING = {
  /** Tuesday–Thursday 10:00–14:00 optimal; Monday 11:00–14:00 acceptable. Days: 0 = Sunday … 6 = Saturday. */
  bestWindows: [
    { days: [2, 3, 4], start: '10:00', end: '14:00', quality: 'optimal' as const },
    { days: [1], start: '11:00', end: '14:00', quality: 'acceptable' as const },
  ],
  /** Never after 16:00. */
  latestStart: '16:00',
  /** Never on Friday after 12:00. */
  fridayCutoff: '12:00',
};

/** The seed's post-rollback procedure, in order. */
export const POST_ROLLBACK_PROCEDURE = [
  { title: 'Notify team', detail: '#incidents channel' },
  { title: 'Update status page', detail: 'If customer impact' },
  { title: 'Document incident', detail: 'What, when, why rolled back' },
  { title: 'Keep monitoring', detail: '24 hours minimum' },
  { title: 'Schedule postmortem', detail: 'Within 48 hours' },
  { title: 'Fix root cause', detail: 'Before re-deployment attempt' },
] as const;

/** The seed's pre-deployment checklist, in order. */
export const PRE_DEPLOYMENT_CHECKLIST = [
  { id: 'tests', text: 'All tests passing (unit, integration, E2E)' },
  { id: 'review', text: 'Code review complete' },
  { id: 'rollback', text: 'Rollback strategy documented (which level to use)' },
  { id: 'dashboards', text: 'Monitoring dashboards configured' },
  { id: 'flags', text: 'Feature flags configured (if needed)' },
  { id: 'oncall', text: 'On-call engineer assigned' },
  { id: 'window', text: 'Deployment window confirmed (avoid Fridays!)' },
  { id: 'alerts', text: 'Alert thresholds configured' },
  { id: 'migrations', text: 'Database migrations backward compatible' },
  { id: 'stakeholders', text: 'Stakeholders notified of schedule' },
] as const;

/** Function names recognised as feature-flag checks out of the box. */
export const DEFAULT_FLAG_FUNCTIONS = [
  'isEnabled', 'is_enabled', 'isFeatureEnabled', 'featureEnabled', 'feature_enabled', 'enabled?',
  'variation', 'boolVariation', 'bool_variation', 'BoolVariation',
  'getBooleanValue', 'get_boolean_value', 'GetBooleanValue', 'getBooleanDetails',
  'IsEnabled', 'isOn', 'is_on',
];
