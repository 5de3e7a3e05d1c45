import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage, requestIdOf } from '../../../src/protocol/messages';

describe('protocol: webview ↔ host messages', () => {
  it('accepts a well-formed simulation request and fills defaults', () => {
    const r = parseWebviewMessage({ type: 'simulate', id: 3, request: { source: { kind: 'scenario', scenario: 'error-spike', seed: 7 } } });
    assert.ok(r.ok);
    assert.equal(r.value.type, 'simulate');
    if (r.value.type === 'simulate') assert.equal(r.value.request.runs, 1);
  });

  it('rejects an unknown message type, naming the field', () => {
    const r = parseWebviewMessage({ type: 'deleteRepo' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, /field "type"/);
  });

  it('rejects extra fields and out-of-range values instead of passing them on', () => {
    const extra = parseWebviewMessage({ type: 'openFile', file: 'a.ts', line: 3, command: 'rm -rf' });
    assert.equal(extra.ok, false);
    const traffic = parseWebviewMessage({ type: 'whatIf', whatIf: { steps: [{ trafficPercent: 150, waitHours: { min: 1, max: 2 } }] } });
    assert.equal(traffic.ok, false);
    if (!traffic.ok) assert.match(traffic.error, /whatIf\.steps\.0\.trafficPercent/);
  });

  it('keeps the request id of an invalid request so the error can be correlated', () => {
    const raw = { type: 'simulate', id: 9, request: { source: { kind: 'scenario', scenario: '', seed: 1 } } };
    assert.equal(parseWebviewMessage(raw).ok, false);
    assert.equal(requestIdOf(raw), 9);
    assert.equal(requestIdOf({ id: 'x' }), undefined);
  });

  it('validates host messages the same way', () => {
    assert.ok(parseHostMessage({ type: 'error', id: 2, message: 'trace.csv:4: expected a number' }).ok);
    assert.equal(parseHostMessage({ type: 'simulation', id: 1, result: { outcome: 'maybe' } }).ok, false);
  });
});
