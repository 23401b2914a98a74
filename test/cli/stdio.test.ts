import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, sh } from '../support/cli.js';
import { useTempDir } from '../support/temp.js';

// The CLI writes its output with write(2) on file descriptors 1 and 2 (src/cli/output.ts), not
// through process.stdout. These run the built CLI against the descriptors that make that hard.

/**
 * Runs `command` with stdout on a pipe whose write end is non-blocking (O_NONBLOCK set on the
 * shared file description, as a Node or Go parent may leave it) and whose reader only starts
 * reading after `delaySeconds`. perl is Essential in Debian, so it is on every machine the suite
 * runs on.
 */
function withSlowNonBlockingReader(command: readonly string[], cwd: string, delaySeconds: number) {
  const script = `
    use strict; use Fcntl;
    pipe(my $r, my $w) or die "pipe: $!";
    my $flags = fcntl($w, F_GETFL, 0) or die "fcntl: $!";
    fcntl($w, F_SETFL, $flags | O_NONBLOCK) or die "fcntl: $!";
    my $pid = fork(); die "fork: $!" unless defined $pid;
    if ($pid == 0) { close $r; open(STDOUT, '>&', $w) or die "dup: $!"; exec @ARGV or die "exec: $!"; }
    close $w;
    select(undef, undef, undef, ${delaySeconds});
    local $/; my $data = <$r>; waitpid($pid, 0);
    print STDERR "exit-status ", $? >> 8, "\\n"; print $data;`;
  const result = spawnSync('perl', ['-e', script, ...command], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { stdout: result.stdout, stderr: result.stderr, status: Number(/exit-status (\d+)/.exec(result.stderr)?.[1] ?? -1) };
}

describe('the CLI on awkward standard output', () => {
  const dir = useTempDir();

  it('hands over to a stream when stdout is non-blocking and full, and loses no byte', () => {
    // 400 clients make about 100 KB of --json, more than a pipe holds (64 KiB): the reader is
    // still asleep when the pipe fills, so write(2) answers EAGAIN.
    const clients = Array.from({ length: 400 }, (_, i) => ['-client', `c${i}`]).flat();
    const result = withSlowNonBlockingReader(
      [process.execPath, CLI, 'cluster-bundle', '-member', 'etcd1=127.0.0.1', ...clients, '-out', 'nonblocking', '--json', '--quiet'],
      dir.path,
      1,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(64 * 1024);
    const report = JSON.parse(result.stdout) as { clients: unknown[] };
    expect(report.clients).toHaveLength(400);
  });

  it('stops quietly when the reader goes away (EPIPE), as other Unix tools do', () => {
    const result = sh('etcd-pki --help | head -c 20', dir.path);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toHaveLength(20);
    expect(result.stderr).toBe('');
  });

  it('writes to a file and to /dev/null like to a terminal', () => {
    const result = sh('etcd-pki version > version.txt && cat version.txt && etcd-pki version > /dev/null', dir.path);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Version: \d+\.\d+\.\d+\nRuntime: node v\d+/);
  });
});
