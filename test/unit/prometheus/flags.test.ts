/** `simulate --prometheus` flags that are wrong before any request is sent: one line, exit 2. */
import { buildCli, type CliUnderTest } from '../../fixtures/cli';

describe('simulate --prometheus: flags checked before any request', function () {
  this.timeout(60_000);
  let cli: CliUnderTest;
  before(async () => {
    cli = await buildCli('simulate', 'UTC');
  });
  after(() => cli.cleanup());
  const FROM = '2026-03-09T00:00:00Z';

  it('refuses replay flags without --prometheus, and --prometheus without --from', () => {
    cli.expectBadInput(['--tier', 'LOW', '--from', FROM], /^rollout-lens: simulate: --from needs --prometheus URL/);
    cli.expectBadInput(['--tier', 'LOW', '--scenario', 'healthy', '--save-trace', 'x.json'], /--save-trace needs --prometheus URL/);
    cli.expectBadInput(['--tier', 'LOW', '--prometheus', 'http://127.0.0.1:9'], /--prometheus needs --from ISO-8601/);
    cli.expectBadInput(['--tier', 'LOW', '--prometheus', 'http://127.0.0.1:9', '--from', FROM, '--scenario', 'healthy'], /--prometheus cannot be used with --scenario/);
    cli.expectBadInput(['--tier', 'LOW', '--prometheus', 'http://127.0.0.1:9', '--from', FROM, '--start', FROM], /--start cannot be used with --prometheus/);
  });

  it('refuses a bad --step, --from, --to or URL, naming it', () => {
    const base = ['--tier', 'LOW', '--prometheus', 'http://127.0.0.1:9'];
    cli.expectBadInput([...base, '--from', FROM, '--step', '15'], /--step: expected a Prometheus duration .* got "15"/);
    cli.expectBadInput([...base, '--from', 'last tuesday'], /--from: expected an ISO-8601 time/);
    cli.expectBadInput([...base, '--from', FROM, '--to', '2026-03-08T00:00:00Z'], /--to 2026-03-08T00:00:00Z is not after --from/);
    cli.expectBadInput([...base, '--from', '2999-01-01T00:00:00Z'], /--from 2999-01-01T00:00:00Z is in the future/);
    cli.expectBadInput(['--tier', 'LOW', '--prometheus', 'ftp://host', '--from', FROM], /--prometheus: expected an http:\/\/ or https:\/\/ URL/);
    cli.expectBadInput(['--tier', 'LOW', '--prometheus', 'http://user:pw@host:9090', '--from', FROM], /--prometheus: the URL holds credentials .*ROLLOUT_LENS_PROMETHEUS_TOKEN/);
  });
});
