import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readEnvFile } from './env-file.js';
import { run } from './run.js';

const which = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();

/**
 * The etcd and etcdctl on PATH, '' when missing: suites assert on them first, so a machine without
 * etcd fails with the install hint instead of a spawn ENOENT deep in a hook.
 */
export const ETCD = which('etcd');
export const ETCDCTL = which('etcdctl');

/** One etcd this suite started. */
export interface EtcdMember {
  readonly child: ChildProcess;
  /** stdout and stderr as they arrive, kept across restarts: tests assert on what etcd logged. */
  readonly log: string;
  readonly exited: boolean;
}

/** What a probe reports to `waitUntil`. */
export interface Probe {
  readonly ready: boolean;
  /** Its evidence (etcdctl's output, say): returned when ready, shown when the wait times out. */
  readonly output: string;
}

/** The etcd processes one suite starts, by member name; iterating gives `[name, member]`. */
export interface EtcdMembers extends Iterable<[string, EtcdMember]> {
  /**
   * Starts `etcd` as the bundle tells an operator to: no flags, and exactly the member's etcd.conf
   * as its environment, nothing inherited, so the generated file alone must configure it. `args`
   * and `env` replace both, for other ways in (`--config-file etcd.yaml` with `env: {}`).
   */
  start(name: string, options?: { env: Record<string, string>; args: readonly string[] }): void;
  /** The member started as `name`; throws for a name never started. */
  get(name: string): EtcdMember;
  /** SIGTERM, then SIGKILL after the grace period; resolves once it has exited, so its ports are free for a restart. */
  stop(name: string): Promise<void>;
  /**
   * Polls `probe` until it is ready and returns its output. A member that exits fails the wait at
   * once with its log: etcd does not come back by itself, and waiting out the timeout would only
   * hide why. The timeout's error holds the probe's last output and the tail of every log.
   */
  waitUntil(probe: () => Promise<Probe>, options: { what: string; timeoutMs?: number; intervalMs?: number }): Promise<string>;
  /** Stops every member as `stop` does, all at once, and drops the exit hook; call it in afterAll before removing their data. */
  stopAll(): Promise<void>;
}

interface Running {
  readonly child: ChildProcess;
  log: string;
  exited: boolean;
}

/**
 * A group of etcd processes that cannot outlive the test worker: besides `stopAll` in afterAll, a
 * process 'exit' hook SIGKILLs whatever still runs (it cannot wait), should the worker die first.
 * `bundle` is the cluster-bundle output holding `<name>/etcd.conf` for each member; `graceMs` is
 * how long SIGTERM gets before SIGKILL (default 5000).
 */
export function etcdMembers(options: { cwd: string; bundle: string; graceMs?: number }): EtcdMembers {
  const graceMs = options.graceMs ?? 5000;
  const running = new Map<string, Running>();
  const killAll = (signal: NodeJS.Signals) => {
    for (const member of running.values()) if (!member.exited) member.child.kill(signal);
  };
  const onExit = () => killAll('SIGKILL');
  process.once('exit', onExit);
  // vitest stops a worker with SIGTERM (a cancelled run, a bail): Node runs no 'exit' hook then,
  // and etcd would keep the suite's fixed ports for the next run. Kill, then die of the signal.
  const onTerm = () => {
    killAll('SIGKILL');
    process.kill(process.pid, 'SIGTERM');
  };
  process.once('SIGTERM', onTerm);

  const get = (name: string): Running => {
    const member = running.get(name);
    if (!member) throw new Error(`no etcd member ${name} was started`);
    return member;
  };

  return {
    start(name, { env, args } = { env: readEnvFile(join(options.bundle, name, 'etcd.conf')), args: [] }) {
      assertLoopbackOnly(name, env, args);
      const previous = running.get(name);
      // Replacing a live process would leave it out of every kill.
      if (previous && !previous.exited) throw new Error(`etcd member ${name} is still running`);
      const child = spawn(ETCD, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const member: Running = { child, log: previous?.log ?? '', exited: false };
      child.stdout!.on('data', (chunk: Buffer) => (member.log += chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => (member.log += chunk.toString('utf8')));
      child.on('exit', () => (member.exited = true));
      running.set(name, member);
    },
    get,
    async stop(name) {
      const member = get(name);
      member.child.kill('SIGTERM');
      const deadline = Date.now() + graceMs;
      while (!member.exited && Date.now() < deadline) await sleep(20);
      if (!member.exited) member.child.kill('SIGKILL');
      while (!member.exited) await sleep(20);
    },
    async waitUntil(probe, { what, timeoutMs = 25_000, intervalMs = 250 }) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        const result = await probe();
        last = result.output;
        if (result.ready) return last;
        for (const [name, member] of running) if (member.exited) throw new Error(`etcd ${name} exited:\n${member.log.slice(-4000)}`);
        await sleep(intervalMs);
      }
      const logs = [...running].map(([name, member]) => `--- ${name}\n${member.log.slice(-3000)}`).join('\n');
      throw new Error(`not ${what} after ${timeoutMs / 1000} s:\n${last}\n${logs}`);
    },
    async stopAll() {
      killAll('SIGTERM');
      const deadline = Date.now() + graceMs;
      while ([...running.values()].some((member) => !member.exited) && Date.now() < deadline) await sleep(50);
      killAll('SIGKILL');
      process.off('exit', onExit);
      process.off('SIGTERM', onTerm);
    },
    [Symbol.iterator]: () => running.entries(),
  };
}

/**
 * Tests start etcd on 127.0.0.0/8 only, never on an address another machine could reach: every
 * URL in the member's environment, flags and --config-file must name a loopback host.
 */
function assertLoopbackOnly(name: string, env: Record<string, string>, args: readonly string[]): void {
  const configFile = args[args.indexOf('--config-file') + 1];
  const texts = [
    ...Object.values(env),
    ...args,
    ...(args.includes('--config-file') && configFile ? [readFileSync(configFile, 'utf8')] : []),
  ];
  for (const text of texts) {
    for (const [url, host] of text.matchAll(/\bhttps?:\/\/(\[[^\]]*\]|[^:/\s,"']+)/g)) {
      if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)$/.test(host!)) {
        throw new Error(`etcd member ${name} would use ${url}: tests run etcd on 127.0.0.0/8 addresses only`);
      }
    }
  }
}

/**
 * etcdctl, asynchronously: a synchronous spawn would block this process, so the members' logs
 * would stop flowing into their pipes (and a full pipe stalls etcd) while etcdctl waits on them.
 */
export async function etcdctl(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ status: number; stdout: string; stderr: string }> {
  const result = await run(ETCDCTL, args, options);
  return { status: result.code, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Whether something accepts TCP connections on ip:port. The suites use fixed loopback addresses,
 * so they check first that nothing (another run) holds them: a clear failure instead of etcd's bind error.
 */
export function listening(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: ip, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
