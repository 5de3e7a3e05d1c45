import * as assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { compileRules } from '../../../src/core/risk/rules';

const rules = compileRules(DEFAULT_POLICY);
const hit = (code: string, lang: 'js' | 'python' | 'ruby' = 'js') => rules.match(code, lang).map((h) => `${h.rule}:${h.term}`);

describe('risk rules: words with an everyday meaning', () => {
  it('a bare token is a lexer\'s; tokens that prove identity are auth', () => {
    assert.deepEqual(hit('const tokens = tokenizer.tokenize(source);'), []);
    assert.deepEqual(hit('while (peekToken().kind !== "eof") nextToken();'), []);
    assert.deepEqual(hit('const refreshToken = req.cookies.rt;'), ['auth:refresh token']);
    assert.deepEqual(hit('await verifyToken(header);'), ['auth:verify token']);
    assert.deepEqual(hit('const authToken = await issue(user);'), ['auth:auth token']);
    assert.deepEqual(hit("headers.set('Authorization', `Bearer ${accessToken}`);"), ['auth:authorization']);
  });

  it('session counts in code, not in a label, and not as a jam or practice session', () => {
    assert.deepEqual(hit('title = `${name}: open jam session`;'), []);
    assert.deepEqual(hit("log.info('session %s', id);"), []);
    assert.deepEqual(hit('const jamSession = startPracticeSession(band);'), []);
    assert.deepEqual(hit('req.session.userId = user.id;'), ['auth:session']);
    assert.deepEqual(hit('session[:user_id] = user.id', 'ruby'), ['auth:session']);
    assert.equal(rules.contextOf('src/music/jamSession.ts', 'path'), undefined);
    assert.equal(rules.contextOf('src/auth/session.ts', 'path')?.rule, 'auth');
    assert.equal(rules.contextOf('startPracticeSession', 'function'), undefined);
    assert.equal(rules.contextOf('destroySession', 'function')?.rule, 'auth');
  });

  it('charge counts for a payment client, not for a battery or the person in charge', () => {
    assert.deepEqual(hit('const chargeLevel = battery.level * 100;'), []);
    assert.deepEqual(hit('label = `Battery charge: ${pct}%`;'), []);
    assert.deepEqual(hit('const personInCharge = team.lead;'), []);
    assert.deepEqual(hit('device.fastCharge(true);'), []);
    assert.deepEqual(hit('await gateway.charge(order.customerId, order.totalCents);'), ['payment:charge']);
    assert.equal(rules.contextOf('chargeCustomer', 'function')?.rule, 'payment');
    assert.equal(rules.contextOf('batteryChargeLevel', 'function'), undefined);
  });

  it('a payment provider call is a payment, not a database write; the ORM call next to it still is', () => {
    assert.deepEqual(hit('await stripe.paymentIntents.update(intent.id, { receipt_email: null });'), ['payment:stripe']);
    assert.deepEqual(hit('Stripe::Charge.create(amount: 100, currency: "eur")', 'ruby'), ['payment:stripe']);
    assert.deepEqual(hit('await orders.update({ id }, { paid: true });'), ['data-write:.update(']);
  });

  it('settings lines keep their sensitive words', () => {
    assert.deepEqual(rules.matchSensitive('session_secret: vault://app/session').map((h) => h.rule), ['auth']);
    assert.deepEqual(rules.matchSensitive('api_token: ${API_TOKEN}').map((h) => h.rule), ['auth']);
    assert.deepEqual(rules.matchSensitive('lexer_token_limit: 4096'), []);
  });
});
