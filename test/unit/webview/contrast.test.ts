/** WCAG contrast, and the tier badges' colours made readable from any theme's colours. */
import { strict as assert } from 'node:assert';
import { contrastRatio, over, parseColor, parseRgba, readableBadge, type Rgb } from '../../../webview/contrast';

describe('webview: badge contrast', () => {
  it('reads CSS colours as the browser reports them', () => {
    assert.deepEqual(parseColor('rgb(209, 134, 22)'), [209, 134, 22]);
    assert.deepEqual(parseColor('#d18616'), [209, 134, 22]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
    assert.equal(parseColor('rgba(0, 0, 0, 0)'), undefined);
    assert.equal(parseColor('transparent'), undefined);
    assert.deepEqual(parseRgba('rgba(234, 92, 0, 0.33)'), [234, 92, 0, 0.33]);
    assert.deepEqual(parseRgba('#ff000080')?.slice(0, 3), [255, 0, 0]);
  });

  it('sees a translucent colour as it is painted over the page: the light theme\'s MEDIUM tint is about 1.5:1 under white text', () => {
    const tint = over([234, 92, 0, 0.33], [255, 255, 255]);
    assert.deepEqual(tint, [248, 201, 171]);
    assert.ok(contrastRatio(tint, [255, 255, 255]) < 1.6);
    const b = readableBadge(tint, [[255, 255, 255], [59, 59, 59]]);
    assert.ok(b.ratio >= 4.5);
    assert.deepEqual(b.background, tint, 'a dark text colour reads on the tint as it is');
  });

  it('computes the WCAG ratio: black on white is 21, a colour on itself is 1', () => {
    assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
    assert.equal(contrastRatio([209, 134, 22], [209, 134, 22]), 1);
    // The MEDIUM badge as the light theme drew it: white text on charts-orange.
    assert.ok(contrastRatio([255, 255, 255], [209, 134, 22]) < 3);
  });

  it('gives every tier colour of the default themes a text colour at 4.5:1 or more', () => {
    const themes: Record<string, { bg: Rgb; fg: Rgb; tiers: Rgb[] }> = {
      light: { bg: [255, 255, 255], fg: [59, 59, 59], tiers: [[229, 20, 0], [209, 134, 22], [0, 122, 204], [56, 138, 52]] },
      dark: { bg: [31, 31, 31], fg: [204, 204, 204], tiers: [[241, 76, 76], [209, 134, 22], [55, 148, 255], [137, 209, 133]] },
    };
    for (const [name, t] of Object.entries(themes)) {
      for (const tier of t.tiers) {
        const b = readableBadge(tier, [t.bg, t.fg]);
        assert.ok(contrastRatio(b.background, b.text) >= 4.5, `${name} ${tier.join(',')}: ${b.ratio.toFixed(2)}`);
      }
    }
  });

  it('keeps the tier colour when a text colour already reads on it, and moves it only as far as needed otherwise', () => {
    const orange: Rgb = [209, 134, 22];
    assert.deepEqual(readableBadge(orange, [[255, 255, 255]]).background, orange);
    const mid: Rgb = [118, 118, 118];
    const out = readableBadge(mid, [], 7);
    assert.notDeepEqual(out.background, mid);
    assert.ok(out.ratio >= 7);
  });
});
