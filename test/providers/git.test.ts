// Git helpers of the commit-status providers. Expected values: providers spec §3.5, §4.21 and §5,
// notification-controller internal/notifier/util_test.go, chainguard-dev/git-urls urls_test.go,
// fluxcd/pkg git utils (TransformRevision / ExtractHashFromRevision).

import { describe, expect, it } from 'vitest';
import { parseGitAddress, parseRevision, sha1Hex, sha256Hex } from '../../src/providers/git.js';
import { NotifierError } from '../../src/providers/types.js';

const SHA = 'a1afe267b54f38b46b487f6e938a6fd508278c07';

function revisionError(metadata: Record<string, string> | undefined): string {
  try {
    parseRevision(metadata);
  } catch (e) {
    expect(e).toBeInstanceOf(NotifierError);
    return (e as Error).message;
  }
  throw new Error('expected a NotifierError');
}

describe('git: revision → commit SHA (providers §3.5, util_test TestUtil_ParseRevision)', () => {
  const accepted: Array<[string, string]> = [
    ['commit', `sha1:${SHA}`],
    ['branch', `master@sha1:${SHA}`],
    ['nested branch', `environment/dev@sha1:${SHA}`],
    ['legacy', `master/${SHA}`],
    ['legacy (nested branch)', `environment/dev/${SHA}`],
    ['legacy HEAD', `HEAD/${SHA}`],
    ['bare hash', SHA],
    ['feature branch', `feature/x@sha1:${SHA}`],
  ];
  for (const [name, rev] of accepted) {
    it(`accepts ${name}: ${rev}`, () => expect(parseRevision({ revision: rev })).toBe(SHA));
  }

  it('legacy (one component) is refused with the exact upstream text', () => {
    expect(revisionError({ revision: 'master' })).toBe("failed to extract commit hash from 'master' revision");
  });

  it('a SHA-256 revision (64 characters) is refused: only 40 characters pass', () => {
    const rev = `main@sha256:${'b'.repeat(64)}`;
    expect(revisionError({ revision: rev })).toBe(`failed to extract commit hash from '${rev}' revision`);
  });

  it('the length is the only check: 40 non-hex characters pass', () => {
    expect(parseRevision({ revision: `main@sha1:${'z'.repeat(40)}` })).toBe('z'.repeat(40));
  });

  it('the text after the last colon is the candidate, even with slashes after it', () => {
    expect(revisionError({ revision: `main@sha1:x/${SHA}` })).toBe(
      `failed to extract commit hash from 'main@sha1:x/${SHA}' revision`,
    );
  });

  it('no commit, originRevision or revision key → missing revision metadata', () => {
    expect(revisionError({ summary: 'x', [`kustomize.toolkit.fluxcd.io/revision`]: `main@sha1:${SHA}` })).toBe(
      'missing revision metadata',
    );
    expect(revisionError(undefined)).toBe('missing revision metadata');
    expect(revisionError({})).toBe('missing revision metadata');
  });

  it('key precedence: commit, then originRevision, then revision', () => {
    const other = 'b'.repeat(40);
    const third = 'c'.repeat(40);
    expect(parseRevision({ revision: `main@sha1:${third}`, originRevision: `main@sha1:${other}`, commit: SHA })).toBe(SHA);
    expect(parseRevision({ revision: `main@sha1:${third}`, originRevision: `main@sha1:${other}` })).toBe(other);
  });

  it('a present but unusable higher-priority key wins and fails (no fallback)', () => {
    expect(revisionError({ commit: 'abc', revision: `main@sha1:${SHA}` })).toBe(
      "failed to extract commit hash from 'abc' revision",
    );
    expect(revisionError({ commit: '', revision: `main@sha1:${SHA}` })).toBe(
      "failed to extract commit hash from '' revision",
    );
  });

  it('legacy round trip quirk: a trailing slash reads the segment before it plus "@" (fluxcd/pkg TransformRevision)', () => {
    // "x/<39 b>/" → pointer "x/<39 b>", empty hash → "x/<39 b>@" → last '/' segment is 40 bytes.
    const b39 = 'b'.repeat(39);
    expect(parseRevision({ revision: `x/${b39}/` })).toBe(`${b39}@`);
    expect(revisionError({ revision: `HEAD/` })).toBe("failed to extract commit hash from 'HEAD/' revision");
  });

  it('the length is counted in UTF-8 bytes, as Go does', () => {
    const twentyE = 'é'.repeat(20); // 20 characters, 40 bytes
    expect(parseRevision({ revision: `sha1:${twentyE}` })).toBe(twentyE);
    expect(revisionError({ revision: `sha1:${'é'.repeat(40)}` })).toBe(
      `failed to extract commit hash from 'sha1:${'é'.repeat(40)}' revision`,
    );
  });

  it('conformance vectors (providers §5)', () => {
    expect(parseRevision({ revision: 'master/a1afe267b54f38b46b487f6e938a6fd508278c07' })).toBe(
      'a1afe267b54f38b46b487f6e938a6fd508278c07',
    );
    expect(revisionError({ revision: 'master' })).toBe("failed to extract commit hash from 'master' revision");
  });
});

describe('git: address → host + repository id (providers §3.5, util_test, git-urls)', () => {
  const cases: Array<[string, string, string, string]> = [
    // [rule, address, host, id]
    ['https (util_test ParseGitHttps)', 'https://github.com/foo/bar', 'https://github.com', 'foo/bar'],
    ['custom host (util_test)', 'https://example.com/foo/bar', 'https://example.com', 'foo/bar'],
    ['one trailing .git stripped (util_test)', 'https://gitlab.com/foo/bar.git', 'https://gitlab.com', 'foo/bar'],
    ['scp syntax becomes https (util_test ParseGitSsh)', 'git@gitlab.com:foo/bar.git', 'https://gitlab.com', 'foo/bar'],
    ['ssh:// becomes https, user dropped (util_test)', 'ssh://git@github.com/stefanprodan/podinfo', 'https://github.com', 'stefanprodan/podinfo'],
    ['subgroups kept (util_test, §5)', 'https://gitlab.com/foo/bar/foo.git', 'https://gitlab.com', 'foo/bar/foo'],
    ['nested groups (§3.5)', 'https://gitlab.com/group/sub/proj', 'https://gitlab.com', 'group/sub/proj'],
    ['trailing slash leaves an empty segment (§3.5)', 'https://github.com/foo/bar/', 'https://github.com', 'foo/bar/'],
    ['.git before a trailing slash is kept', 'https://host.xz/path/to/repo.git/', 'https://host.xz', 'path/to/repo.git/'],
    ['only one .git is stripped', 'https://host.xz/org/repo.git.git', 'https://host.xz', 'org/repo.git'],
    ['port kept in the host base (git-urls)', 'ssh://user@host.xz:1234/path/to/repo.git', 'https://host.xz:1234', 'path/to/repo'],
    ['http port kept', 'http://host.xz:1234/org/repo', 'http://host.xz:1234', 'org/repo'],
    ['git:// scheme kept (git-urls transports)', 'git://host.xz/path/to/repo.git', 'git://host.xz', 'path/to/repo'],
    ['git+ssh scheme kept', 'git+ssh://host.xz/path/to/repo.git', 'git+ssh://host.xz', 'path/to/repo'],
    ['ftps scheme kept', 'ftps://host.xz/org/repo.git', 'ftps://host.xz', 'org/repo'],
    ['rsync scheme kept', 'rsync://host.xz/org/repo.git', 'rsync://host.xz', 'org/repo'],
    ['user and password dropped', 'https://user:password@host.xz/organization/repo.git', 'https://host.xz', 'organization/repo'],
    ['query ignored (URL form)', 'https://host.xz/organization/repo.git?ref=feature/test', 'https://host.xz', 'organization/repo'],
    ['query ignored (scp form)', 'git@host.xz:organization/repo.git?ref=test', 'https://host.xz', 'organization/repo'],
    ['scp without user', 'host.xz:path/to/repo.git', 'https://host.xz', 'path/to/repo'],
    ['scp absolute path: leading slashes stripped', 'host.xz:/path/to/repo.git', 'https://host.xz', 'path/to/repo'],
    ['scp user with dash', 'user-1234@host.xz:path/to/repo.git/', 'https://host.xz', 'path/to/repo.git/'],
    ['scp path stops at the first character outside [a-zA-Z0-9./_-]', 'git@host.xz:org/re po.git', 'https://host.xz', 'org/re'],
    ['local path falls back to file://', '/path/to/repo.git', 'file://', 'path/to/repo'],
    ['relative local path', 'foo/bar', 'file://', 'foo/bar'],
    ['file:// URL', 'file:///path/to/repo.git', 'file://', 'path/to/repo'],
    ['scheme is lower-cased by url.Parse', 'HTTPS://GitHub.com/Foo/Bar', 'https://GitHub.com', 'Foo/Bar'],
    ['path is percent-decoded by url.Parse', 'https://github.com/foo%20x/bar', 'https://github.com', 'foo x/bar'],
    ['fragment dropped by url.Parse', 'https://github.com/foo/bar#readme', 'https://github.com', 'foo/bar'],
    ['unknown scheme falls to scp syntax (host = the scheme)', 'foo://x/y', 'https://foo', 'x/y'],
    ['an unparseable URL falls to scp syntax', 'https://a b/x', 'https://https', 'a'],
    ['empty address is a local path', '', 'file://', ''],
  ];
  for (const [rule, address, host, id] of cases) {
    it(`${rule}: ${JSON.stringify(address)}`, () => expect(parseGitAddress(address)).toEqual({ host, id }));
  }

  it('scp candidates longer than 2048 bytes are read as a local path (git-urls maxLen)', () => {
    const long = `git@host.xz:${'a'.repeat(2040)}`;
    expect(long.length).toBe(2052);
    expect(parseGitAddress(long)).toEqual({ host: 'file://', id: long });
    const ok = `git@host.xz:${'a'.repeat(2036)}`;
    expect(parseGitAddress(ok)).toEqual({ host: 'https://host.xz', id: 'a'.repeat(2036) });
  });
});

describe('git: hash helpers (providers §5)', () => {
  it('sha1Hex: upstream sha1 helper test', () => {
    expect(sha1Hex('kustomization/namespace-foo-and-service-bar')).toBe('12ea142172e98435e16336acbbed8919610922c3');
  });
  it('sha1Hex: bitbucket / bitbucketserver key', () => {
    expect(sha1Hex('kustomization/podinfo/0c9c2e41')).toBe('dfbdde19098ffc25b398f33cc01d36690866ac7b');
  });
  it('sha256Hex: opsgenie alias', () => {
    expect(
      sha256Hex('0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo/ReconciliationSucceeded'),
    ).toBe('0c0c81aa493de4df4a773b2e0ec2c9d2bcc1bba73be84116bed85dc544d8b057');
  });
});
