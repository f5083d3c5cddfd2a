import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster of the installed version, on its own port, that a test may
 * stop and start without disturbing the server every other test file uses.
 */
export class PrivateCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'icrm-pg-'));
  readonly url: string;
  private readonly bin: string;
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly port: number) {
    const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
    if (versions.length === 0) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
    this.bin = `/usr/lib/postgresql/${versions[versions.length - 1]}/bin`;
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    // initdb refuses to run as root: the cluster belongs to the postgres user then.
    if (this.asRoot) chownSync(this.dir, 101, 104);
  }

  private run(tool: string, args: string[]): void {
    const command = [`${this.bin}/${tool}`, ...args];
    const [file, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', ...command]] : [command[0]!, command.slice(1)];
    execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 });
  }

  init(): void {
    if (this.asRoot) {
      const owner = execFileSync('id', ['-u', 'postgres']).toString().trim();
      const group = execFileSync('id', ['-g', 'postgres']).toString().trim();
      chownSync(this.dir, Number(owner), Number(group));
    }
    this.run('initdb', ['-D', `${this.dir}/data`, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  }

  start(): void {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off`;
    this.run('pg_ctl', ['-D', `${this.dir}/data`, '-o', options, '-l', `${this.dir}/log`, '-w', 'start']);
  }

  stop(): void {
    this.run('pg_ctl', ['-D', `${this.dir}/data`, '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
