// Issue 18: one reader for every input, with a size limit per kind, that never waits on the
// thread pool.
import { spawn, spawnSync } from 'node:child_process';
import { truncateSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, readInput, readStream } from '../../src/io/input.js';
import { expectPkiError } from '../support/errors.js';
import { useTempDir } from '../support/temp.js';

const temp = useTempDir('etcd-pki-input-');
const noStdin = async () => new Uint8Array();

describe('readInput', () => {
  it('reads a regular file', async () => {
    const file = temp.write('a.json', '{"CN":"a"}');
    expect(Buffer.from(await readInput(file, noStdin, 'request')).toString()).toBe('{"CN":"a"}');
  });

  it.each(Object.entries(INPUT_LIMITS))('refuses a %s larger than its limit, naming the file and the limit', async (kind, limit) => {
    const file = temp.write(`big-${kind}`, '');
    truncateSync(file, limit.bytes + 1);
    await expectPkiError(() => readInput(file, noStdin, kind as keyof typeof INPUT_LIMITS), { code: 'IO', file, message: limit.what });
  });

  it('reads a file of exactly the limit', async () => {
    const file = temp.write('exact', '');
    truncateSync(file, INPUT_LIMITS.key.bytes);
    expect((await readInput(file, noStdin, 'key')).length).toBe(INPUT_LIMITS.key.bytes);
  });

  it('stops reading /dev/zero at the limit', async () => {
    await expectPkiError(() => readInput('/dev/zero', noStdin, 'request'), { code: 'IO', file: '/dev/zero', message: '1 MiB' });
  });

  it('reads a FIFO whose writer comes later, through the event loop', async () => {
    const fifo = temp.join('fifo');
    spawnSync('mkfifo', [fifo]);
    const reading = readInput(fifo, noStdin, 'request');
    // The read waits without blocking a thread: a timer still fires before the writer comes.
    const fired = await new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 100));
    expect(fired).toBe(true);
    const writer = spawn('sh', ['-c', `printf '{"CN":"late"}' > ${fifo}`]);
    expect(Buffer.from(await reading).toString()).toBe('{"CN":"late"}');
    await new Promise((resolve) => writer.on('close', resolve));
  });

  it('refuses a directory', async () => {
    await expectPkiError(() => readInput(temp.path, noStdin, 'request'), { code: 'IO', message: 'is a directory' });
  });

  it('reads standard input with the limit of the kind', async () => {
    const stdin = (limit?: number, what?: string) =>
      readStream(
        (async function* () {
          yield Buffer.alloc(100_000);
        })(),
        limit,
        'standard input',
        what,
      );
    await expectPkiError(() => readInput('-', stdin, 'key'), { code: 'IO', file: 'standard input', message: 'a private key file' });
  });
});
