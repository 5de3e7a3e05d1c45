/**
 * The tier badges' colours, from the theme's own tokens (--vscode-charts-*), made readable: each
 * badge keeps its tier colour as background and gets the text colour that reads at 4.5:1 or more
 * on it, the background nudged darker or lighter where no text colour does. High-contrast themes
 * draw the badge as outlined text in the theme's foreground, which the theme makes readable.
 */
import { over, parseRgba, readableBadge, toCss, type Rgb } from './contrast';

const TIERS = ['high', 'medium', 'low', 'zero'] as const;

function resolved(css: string, property: 'color' | 'backgroundColor'): Rgb | undefined {
  const c = resolvedRgba(css, property);
  return c && c[3] > 0 ? over(c, WHITE) : undefined;
}

const WHITE: Rgb = [255, 255, 255];

function resolvedRgba(css: string, property: 'color' | 'backgroundColor') {
  const probe = document.createElement('span');
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  if (property === 'color') probe.style.color = css;
  else probe.style.backgroundColor = css;
  document.body.append(probe);
  const value = getComputedStyle(probe)[property];
  probe.remove();
  return parseRgba(value);
}

export function applyBadgeContrast(): void {
  const root = document.documentElement.style;
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  for (const tier of TIERS) {
    root.removeProperty(`--tier-${tier}-bg`);
    root.removeProperty(`--tier-${tier}-fg`);
  }
  if (highContrast) return;
  const candidates = [resolved('var(--vscode-editor-background)', 'color'), resolved('var(--vscode-editor-foreground, var(--vscode-foreground))', 'color')].filter((c): c is Rgb => c !== undefined);
  // A translucent tier colour is seen over the editor's background: that is the colour the text must read on.
  const page = resolved('var(--vscode-editor-background)', 'backgroundColor') ?? WHITE;
  for (const tier of TIERS) {
    const token = resolvedRgba(`var(--tier-${tier})`, 'backgroundColor');
    if (!token || token[3] === 0) continue;
    const bg = over(token, page);
    const { background, text } = readableBadge(bg, candidates);
    root.setProperty(`--tier-${tier}-bg`, toCss(background));
    root.setProperty(`--tier-${tier}-fg`, toCss(text));
  }
}
