import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runIfMain } from '../shared/child-process.js';

/**
 * Summarises V8 `.cpuprofile` files (written by `--cpu-prof`): self time by package (a
 * node_modules package, a workspace package, node's internals) and the top functions by self
 * time, as shares of the sampled time. `node bench/dist/hl7-ingest/profile-summary.js DIR`.
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

/** Self time (µs) per node of one profile. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
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
    for (const [id, us] of selfTimes(profile)) {
      const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
      total += us;
      if (functionName === '(idle)') {
        idle += us;
        continue;
      }
      const pkg = packageOf(url);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  const lines = [
    `CPU profile of the hub (${files.join(', ')}): ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s sampled; shares of busy time`,
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
