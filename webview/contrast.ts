/**
 * Colour contrast as WCAG 2 defines it, and the tier badge's colours made readable from the
 * theme's own tokens: the badge keeps its tier colour and gets whichever text colour reads best
 * on it; where none reaches 4.5:1, the background is moved toward black or white until one does.
 * Pure: takes colours as CSS strings, so the same code serves any theme.
 */

export type Rgb = [number, number, number];

/** A colour with its opacity, 0–1. */
export type Rgba = [number, number, number, number];

/** "#rgb", "#rrggbb", "#rrggbbaa", "rgb(…)" or "rgba(…)" → 0–255 channels and an opacity; undefined for anything else. */
export function parseRgba(css: string): Rgba | undefined {
  const s = css.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s);
  if (hex) {
    let h = hex[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return undefined;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return [r, g, b, h.length === 8 ? parseInt(h.slice(6, 8), 16) / 255 : 1];
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+)(%?))?\s*\)$/.exec(s);
  if (fn) {
    const [r, g, b] = [fn[1], fn[2], fn[3]].map((v) => Math.max(0, Math.min(255, Math.round(parseFloat(v)))));
    const a = fn[4] === undefined ? 1 : parseFloat(fn[4]) / (fn[5] ? 100 : 1);
    return [r, g, b, Math.max(0, Math.min(1, a))];
  }
  return undefined;
}

/** An opaque colour; undefined for anything else or a colour that is not fully opaque. */
export function parseColor(css: string): Rgb | undefined {
  const c = parseRgba(css);
  return c && c[3] === 1 ? [c[0], c[1], c[2]] : undefined;
}

/** What a (translucent) colour looks like painted over an opaque one. */
export function over([r, g, b, a]: Rgba, under: Rgb): Rgb {
  return [r, g, b].map((c, i) => Math.round(c * a + under[i] * (1 - a))) as Rgb;
}

export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export function toCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return a.map((c, i) => Math.round(c + (b[i] - c) * t)) as Rgb;
}

export const MIN_CONTRAST = 4.5;

/**
 * The badge's background and text: the tier colour with the candidate text colour that reads best
 * on it; if even that is below `min`, the background is darkened (light text) or lightened (dark
 * text) in small steps until it reaches `min`. Black and white are always candidates.
 */
export function readableBadge(background: Rgb, candidates: readonly Rgb[], min = MIN_CONTRAST): { background: Rgb; text: Rgb; ratio: number } {
  const all: Rgb[] = [...candidates, [0, 0, 0], [255, 255, 255]];
  const best = (bg: Rgb) => all.map((text) => ({ text, ratio: contrastRatio(bg, text) })).sort((x, y) => y.ratio - x.ratio)[0];
  let choice = best(background);
  if (choice.ratio >= min) return { background, ...choice };
  const toward: Rgb = luminance(choice.text) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.05; t <= 1.0001; t += 0.05) {
    const bg = mix(background, toward, t);
    choice = best(bg);
    if (choice.ratio >= min) return { background: bg, ...choice };
  }
  return { background: toward, ...best(toward) };
}
