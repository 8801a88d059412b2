import { webhookUrlProblem } from './webhook-url';

describe('webhook URL rules', () => {
  it('accepts https and refuses plain http outside development', () => {
    expect(webhookUrlProblem('https://hooks.police.example/case-desk', false)).toBeNull();
    expect(webhookUrlProblem('http://hooks.police.example/case-desk', false)).toMatch(/https/);
    expect(webhookUrlProblem('http://127.0.0.1:9000/hook', true)).toBeNull();
  });

  it('refuses link-local and metadata addresses even over https', () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/',
      'https://[fe80::1]/x',
      'https://169.254.10.1/',
    ]) {
      expect(webhookUrlProblem(url, true)).toMatch(/link-local or metadata/);
    }
  });

  it('refuses credentials and non-URLs', () => {
    expect(webhookUrlProblem('https://user:pw@example.org/', false)).toMatch(/credentials/);
    expect(webhookUrlProblem('not a url', false)).toMatch(/absolute URL/);
  });
});
