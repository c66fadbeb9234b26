// The `tui` command's edges, tested on purpose as Ink's own tests do: no terminal → exit 2 with a
// pointer to the headless commands; bad flags → exit 2; q → the command returns 0 and restores
// the screen.

import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runTuiCommand, tuiFlags } from '../../src/commands/tui.js';
import { UserError } from '../../src/errors.js';
import { cli } from '../commands/run-cli.js';
import { FakeStdin, FakeStdout, tick } from './render-app.js';

const term = (tty: boolean) => {
  const stdout = new FakeStdout(120, 40);
  stdout.isTTY = tty;
  // vitest replaces console with one Ink cannot patch
  return { stdin: new FakeStdin(tty), stdout, stderr: new FakeStdout(120, 40), patchConsole: false };
};
const io = () => {
  let err = '';
  return { io: { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } }, err: () => err };
};

describe('tui command', () => {
  it('not a TTY: the real binary exits 2 and points to explain, replay and receive', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--fixtures', 'fixtures/demo'], { input: '', encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('error: the terminal UI needs an interactive terminal (stdin and stdout must be a TTY)');
    expect(res.stderr).toContain('flux-notify-tui explain');
    expect(res.stderr).toContain('flux-notify-tui replay');
    expect(res.stderr).toContain('flux-notify-tui receive');
    expect(res.stderr).not.toMatch(/at .+\(.+:\d+:\d+\)/);
  });

  it('stdin a TTY but stdout piped is refused the same way', async () => {
    const t = term(true);
    t.stdout.isTTY = false;
    await expect(runTuiCommand({ fixtures: 'fixtures/demo' }, io().io, t as never)).rejects.toThrow(/needs an interactive terminal/);
  });

  it('the event source: a cluster by default, else --fixtures or --listen; two at once is a usage error (exit 2)', async () => {
    expect(tuiFlags({}).source).toEqual({ kind: 'cluster', allNamespaces: false, replayHistory: false });
    expect(tuiFlags({ context: 'kind-dev', namespace: 'apps' }).source).toMatchObject({ kind: 'cluster', context: 'kind-dev', namespace: 'apps' });
    expect(tuiFlags({ listen: ':0', file: ['m'] }).source).toEqual({ kind: 'listen', addr: ':0', files: ['m'] });
    const both = await cli('--fixtures', 'fixtures/demo', '--context', 'kind-dev');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error: --fixtures and --context choose different event sources');
    const noManifests = await cli('--listen', '127.0.0.1:0');
    expect(noManifests.code).toBe(2);
    expect(noManifests.stderr).toContain('error: --listen needs the manifests to decide with');
  });

  it('cluster mode: an unknown context is bad input that lists the known ones', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'fnt-kc-'));
    const kc = join(dir, 'config');
    writeFileSync(kc, [
      'apiVersion: v1', 'kind: Config', 'current-context: a',
      'clusters:', '- name: c', '  cluster: {server: "https://127.0.0.1:1"}',
      'users:', '- name: u', '  user: {token: t}',
      'contexts:', '- name: a', '  context: {cluster: c, user: u}', '- name: b', '  context: {cluster: c, user: u}',
    ].join('\n'));
    const err = await runTuiCommand({ kubeconfig: kc, context: 'nope' }, io().io, term(true) as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`context "nope" not found in ${kc}`);
    expect((err as UserError).hint).toBe('known contexts: a, b');
  });

  it('bad --speed and --history values are usage errors (exit 2)', async () => {
    expect((await cli('--fixtures', 'fixtures/demo', '--speed', '0')).stderr).toContain('invalid --speed "0": expected a positive number');
    expect((await cli('--fixtures', 'fixtures/demo', '--history', '1.5')).code).toBe(2);
    expect(() => tuiFlags({ fixtures: 'x', history: 'many' })).toThrow(UserError);
    expect(tuiFlags({ fixtures: 'x', speed: '2.5', step: true })).toEqual({ source: { kind: 'fixtures', dir: 'x' }, speed: 2.5, step: true, send: false, history: 10_000 });
  });

  it('an unreadable fixtures dir is bad input (exit 2) with a hint', async () => {
    await expect(runTuiCommand({ fixtures: 'no/such/dir' }, io().io, term(true) as never)).rejects.toThrow(/cannot read events from no\/such\/dir: no such file or directory/);
  });

  it('opens the demo on the alternate screen, and q returns 0, restores the screen and prints a summary', async () => {
    const t = term(true);
    const out = io();
    const done = runTuiCommand({ fixtures: 'fixtures/demo', step: true }, out.io, t as never);
    await tick(400);
    t.stdin.write('n');
    await tick(200);
    t.stdin.write('q');
    expect(await done).toBe(0);
    const written = t.stdout.frames.join('');
    expect(written.startsWith('\u001b[?1049h')).toBe(true);
    expect(written.endsWith('\u001b[?1049l')).toBe(true);
    const text = stripVTControlCharacters(written);
    expect(text).toContain('fixtures/demo');
    expect(text).toContain(' MOCK ');
    expect(out.err()).toMatch(/^flux-notify-tui: 1 event\(s\), /);
  });

  it('--send starts in REAL (as replay --send does) and shows it', async () => {
    const t = term(true);
    const done = runTuiCommand({ fixtures: 'fixtures/demo', step: true, send: true }, io().io, t as never);
    await tick(300);
    t.stdin.write('q');
    expect(await done).toBe(0);
    expect(stripVTControlCharacters(t.stdout.frames.join(''))).toContain(' REAL ');
  });
});
