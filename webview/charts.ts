/**
 * One line chart per metric: the trace, its warning and critical thresholds, the stage
 * boundaries, the rollback point and the minute a hold stopped the rollout. Only the chart.js pieces used here are registered, so the
 * bundle stays small; colours come from VS Code's theme variables and follow theme changes.
 */
import {
  Chart,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  Tooltip,
  Legend,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import type { SimulationResult } from '../src/protocol/messages';
import { formatMinutes, formatValue, timeTicks } from './format';
import { placeStageLabels } from './stageLabels';
import type { Marks } from './chartMarks';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

type Series = SimulationResult['series'][number];


/** Rows of stage labels in the band above the plot, and the height of one. */
const LABEL_ROWS = 2;
const LABEL_ROW_PX = 14;

interface Theme {
  fg: string;
  grid: string;
  line: string;
  warning: string;
  critical: string;
  stage: string;
  font: string;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function readTheme(): Theme {
  return {
    fg: cssVar('--vscode-foreground', '#cccccc'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    line: cssVar('--vscode-charts-blue', '#3794ff'),
    warning: cssVar('--vscode-charts-yellow', '#cca700'),
    critical: cssVar('--vscode-charts-red', '#f14c4c'),
    stage: cssVar('--vscode-descriptionForeground', '#999999'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

/**
 * Vertical lines at stage boundaries, at the rollback and at each hold, drawn under the data. Stage
 * labels sit in a band above the plot (kept free by the layout's top padding), staggered so none
 * overlap; each line runs up to its label. Where they were put is written to the canvas's
 * data-stage-labels and data-held, so the preview and e2e checks can verify it.
 */
const markers: Plugin<'line'> = {
  id: 'rolloutMarkers',
  beforeDatasetsDraw(chart) {
    const marks = (chart.options.plugins as { rolloutMarkers?: Marks & { theme: Theme } }).rolloutMarkers;
    if (!marks) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    ctx.save();
    ctx.font = `11px ${marks.theme.font}`;
    ctx.textBaseline = 'top';
    const labels = placeStageLabels(
      marks.stages.map((s) => ({ px: x.getPixelForValue(s.minute), full: s.label, short: s.short })),
      (t) => ctx.measureText(t).width,
      { left: chartArea.left, right: chartArea.right, rows: LABEL_ROWS },
    );
    const bandTop = chartArea.top - LABEL_ROWS * LABEL_ROW_PX - 2;
    for (const s of marks.stages) {
      const px = x.getPixelForValue(s.minute);
      if (px < chartArea.left - 0.5 || px > chartArea.right + 0.5) continue;
      const label = labels.find((l) => l.px === px);
      ctx.strokeStyle = marks.theme.stage;
      ctx.setLineDash([2, 3]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, label ? bandTop + label.row * LABEL_ROW_PX : chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
    }
    ctx.fillStyle = marks.theme.stage;
    for (const l of labels) ctx.fillText(l.text, l.x, bandTop + l.row * LABEL_ROW_PX + 1);
    chart.canvas.dataset.stageLabels = JSON.stringify(labels.map((l) => ({ text: l.text, x: Math.round(l.x), row: l.row, width: Math.round(l.width) })));
    const solid = (minute: number, label: string, color: string, labelY: number): { label: string; x: number; inside: boolean } => {
      const px = x.getPixelForValue(minute);
      ctx.strokeStyle = color;
      ctx.setLineDash([]);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.fillStyle = color;
      ctx.textAlign = 'right';
      ctx.fillText(label, px - 3, labelY);
      return { label, x: Math.round(px), inside: px >= chartArea.left - 0.5 && px <= chartArea.right + 0.5 };
    };
    if (marks.rollbackMinute !== undefined) solid(marks.rollbackMinute, 'rollback', marks.theme.critical, chartArea.bottom - 14);
    chart.canvas.dataset.held = JSON.stringify(marks.held.map((m) => ({ minute: m.minute, ...solid(m.minute, m.label, marks.theme.warning, chartArea.top + 3) })));
    ctx.restore();
  },
};

/** The stage running at a minute, for the tooltip: "3 Canary". */
function stageAt(marks: Marks, minute: number): string | undefined {
  let at: Marks['stages'][number] | undefined;
  for (const s of marks.stages) if (s.minute <= minute && (!at || s.minute >= at.minute)) at = s;
  return at?.label;
}

function thresholdLine(label: string, value: number, from: number, to: number, color: string): ChartDataset<'line', { x: number; y: number }[]> {
  return {
    label,
    data: [
      { x: from, y: value },
      { x: to, y: value },
    ],
    borderColor: color,
    borderDash: [6, 4],
    borderWidth: 1.5,
    pointRadius: 0,
    pointHitRadius: 0,
  };
}

/**
 * The points as the chart draws them: an infinite reading (a p95 above the histogram's top bucket) is
 * drawn at the edge of the axis, beyond every threshold on its side, since a scale cannot reach infinity.
 */
function drawable(series: Series): { x: number; y: number }[] {
  let lo = Math.min(series.warning, series.critical);
  let hi = Math.max(series.warning, series.critical);
  for (const [, y] of series.points) {
    if (y - y !== 0) continue;
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  const margin = Math.max(hi - lo, Math.abs(hi), 1) * 0.2;
  return series.points.map(([x, y]) => ({ x, y: y === Infinity ? hi + margin : y === -Infinity ? lo - margin : y }));
}

export class MetricChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly series: Series,
    private readonly marks: Marks,
  ) {
    const theme = readTheme();
    const xs = series.points.map((p) => p[0]);
    const from = xs.length ? Math.min(...xs) : 0;
    // The axis reaches the hold and the rollback even where the metric's readings stop before them (a silent metric).
    const to = Math.max(xs.length ? Math.max(...xs) : 1, ...marks.held.map((m) => m.minute), marks.rollbackMinute ?? -Infinity);
    // security_alerts has warning = critical = 0: one threshold line says it all.
    const thresholds =
      series.warning === series.critical
        ? [thresholdLine(`critical ${formatValue(series.critical, series.unit)}`, series.critical, from, to, theme.critical)]
        : [
            thresholdLine(`warning ${formatValue(series.warning, series.unit)}`, series.warning, from, to, theme.warning),
            thresholdLine(`critical ${formatValue(series.critical, series.unit)}`, series.critical, from, to, theme.critical),
          ];
    this.chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: series.label,
            data: drawable(series),
            borderColor: theme.line,
            borderWidth: 1.5,
            pointRadius: 0,
            tension: 0,
          },
          ...thresholds,
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        // The band the stage labels are drawn in; the legend moves below the axis to leave it free.
        layout: { padding: { top: LABEL_ROWS * LABEL_ROW_PX + 4 } },
        scales: {
          x: {
            type: 'linear',
            min: from,
            max: to,
            ticks: { callback: (v) => formatMinutes(Number(v)), autoSkip: false },
            // Ticks on whole steps a person reads at a glance (every 6 h, every day …), not where the scale's arithmetic lands.
            afterBuildTicks: (axis) => {
              axis.ticks = timeTicks(from, to).map((value) => ({ value }));
            },
            title: { display: true, text: 'time since rollout start' },
          },
          // Counts and rates that alert upwards start at zero, so a flat 0 is not drawn mid-chart.
          y: { title: { display: true, text: series.unit }, beginAtZero: series.direction === 'above', suggestedMax: series.direction === 'above' ? series.critical * 1.1 || 1 : undefined },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 18, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items) => {
                const minute = items[0]?.parsed.x ?? 0;
                const stage = stageAt(this.marks, minute);
                return stage ? `${formatMinutes(minute)} · stage ${stage}` : formatMinutes(minute);
              },
              // An infinite reading is drawn at the chart's edge but named as what it is.
              label: (item) => `${item.dataset.label}: ${formatValue(series.points[item.dataIndex]?.[1] ?? item.parsed.y ?? 0, series.unit)}`,
            },
          },
          ...({ rolloutMarkers: { ...marks, theme } } as object),
        },
      },
      plugins: [markers],
    });
    this.applyTheme(theme);
  }

  /** Re-reads the --vscode-* colours: called when the theme (the body class) changes. */
  applyTheme(theme: Theme = readTheme()): void {
    const c = this.chart;
    Chart.defaults.font.family = theme.font;
    for (const axis of ['x', 'y'] as const) {
      const scale = c.options.scales?.[axis];
      if (!scale) continue;
      // Set the colours in place: replacing the option objects would drop the rest of their settings.
      if (scale.ticks) scale.ticks.color = theme.fg;
      else scale.ticks = { color: theme.fg };
      if (scale.grid) scale.grid.color = theme.grid;
      else scale.grid = { color: theme.grid };
      if ('title' in scale && scale.title) scale.title.color = theme.fg;
    }
    if (c.options.plugins?.legend?.labels) c.options.plugins.legend.labels.color = theme.fg;
    const [data, ...lines] = c.data.datasets;
    data.borderColor = theme.line;
    if (lines.length === 1) lines[0].borderColor = theme.critical;
    else if (lines.length === 2) {
      lines[0].borderColor = theme.warning;
      lines[1].borderColor = theme.critical;
    }
    (c.options.plugins as { rolloutMarkers?: Marks & { theme: Theme } }).rolloutMarkers = { ...this.marks, theme };
    c.update('none');
  }

  get metric(): string {
    return this.series.metric;
  }

  destroy(): void {
    this.chart.destroy();
  }
}
