import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runIfMain } from '../shared/child-process.js';

/**
 * Summarises V8 `.cpuprofile` files (written by `--cpu-prof`) from the first HL7 message on:
 * self time by package (a node_modules package, a workspace package, node's internals) and the
 * top functions by self time, as shares of the busy (not idle) sampled time. `writeBuffer` is
 * the synchronous write of a socket (to PostgreSQL, or an ACK): on a loaded machine the process
 * is often descheduled inside it, so its share is wall time in the syscall, not JavaScript. `node bench/dist/hl7-ingest/profile-summary.js DIR`.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a script URL belongs to. */
export function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const workspace = /\/(core|schema|plugins\/[^/]+|adapters\/[^/]+|bench)\/dist\//.exec(url);
  return workspace ? `caregraph ${workspace[1]}` : url;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length);
  const workspace = /\/((?:core|schema|plugins\/[^/]+|adapters\/[^/]+|bench)\/dist\/.*)$/.exec(url);
  return workspace?.[1] ?? url;
}

/**
 * Self time (µs) per node of one profile, from the first sample in the HL7 intake on (the
 * steady state: the hub's boot, module loading and schema building are left out).
 */
function selfTimes(profile: CpuProfile, nodes: Map<number, ProfileNode>): Map<number, number> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const inIntake = (id: number) => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
      if (nodes.get(cur)!.callFrame.url.includes('/pipeline/message-intake')) return true;
    return false;
  };
  const start = Math.max(0, profile.samples.findIndex(inIntake));
  const self = new Map<number, number>();
  for (let i = start; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return self;
}

/** The summary of every `.cpuprofile` in `dir`, as text. */
export async function summariseProfiles(dir: string, top = 25): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) return `no .cpuprofile in ${dir}`;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const [id, us] of selfTimes(profile, nodes)) {
      const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
      total += us;
      if (functionName === '(idle)') {
        idle += us;
        continue;
      }
      const pkg =
        functionName === 'writeBuffer' || functionName === 'writev'
          ? '(socket writes: syscall)'
          : packageOf(url);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  const lines = [
    `CPU profile of the hub (${files.join(', ')}), from its first HL7 message on: ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s sampled; shares of busy time`,
    '',
    'by package (self time):',
  ];
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15))
    lines.push(`  ${pct(us)}  ${pkg}`);
  lines.push('', `top ${top} functions (self time):`);
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us)}  ${fn}`);
  return lines.join('\n');
}

runIfMain(import.meta.url, async () => {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: profile-summary DIR');
  process.stdout.write(`${await summariseProfiles(dir)}\n`);
});
