import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

interface PackageJson {
  version: string;
  license: string;
  engines: { node: string };
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, { types: string; default: string }>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

function peerRangeOf(name: string, dependency: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as {
    peerDependencies: Record<string, string>;
  };
  const range = manifest.peerDependencies[dependency];
  if (range === undefined) throw new Error(`${name} declares no peer range for ${dependency}`);
  return range;
}

/** The files `npm pack` puts in the tarball, from the dist/ the global setup built (scripts skipped: no rebuild). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  const [report] = JSON.parse(out) as [{ files: { path: string }[] }];
  return report.files.map((f) => f.path).sort();
}

describe('the packed tarball', () => {
  const files = packedFiles();
  const shipped = new Set(files);

  it('holds only what a user runs or reads: licence, readme, manifest, bin, compiled code and types, schemas', () => {
    const allowed = [
      /^LICENSE$/,
      /^README\.md$/,
      /^package\.json$/,
      /^bin\/[a-z0-9-]+\.js$/,
      /^dist\/.+\.(?:js|d\.ts)$/,
      /^schemas\/[a-z0-9-]+\.schema\.json$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    expect(files.filter((f) => /\.map$|tsbuildinfo|(^|\/)tests?\/|\.test\./.test(f))).toEqual([]);
  });

  it('ships the Apache-2.0 licence that package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(shipped.has('LICENSE')).toBe(true);
    const text = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });

  it('ships every entry point package.json names, with its types', () => {
    const targets = [
      ...Object.values(pkg.bin),
      pkg.main,
      pkg.types,
      ...Object.values(pkg.exports).flatMap((e) => [e.types, e.default]),
    ].map((p) => p.replace(/^\.\//, ''));
    expect(targets.filter((t) => !shipped.has(t))).toEqual([]);
    expect(shipped.has('dist/cli/bin.js')).toBe(true);
  });

  it('ships compiled code only for sources that exist, each with its declarations', () => {
    const js = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(50);
    const stale = js.filter(
      (f) => !existsSync(path.join(ROOT, f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))),
    );
    expect(stale).toEqual([]);
    expect(js.filter((f) => !shipped.has(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });

  it('has no source map that points at a file it does not ship', () => {
    const dangling: string[] = [];
    const resolve = (from: string, ref: string) => path.posix.join(path.posix.dirname(from), ref);
    for (const f of files.filter((x) => x.endsWith('.js') || x.endsWith('.d.ts'))) {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/^\/\/# sourceMappingURL=(\S+)$/gm)) {
        const target = resolve(f, m[1] ?? '');
        if (!shipped.has(target)) dangling.push(`${f} -> ${target}`);
      }
    }
    for (const f of files.filter((x) => x.endsWith('.map'))) {
      const map = JSON.parse(readFileSync(path.join(ROOT, f), 'utf8')) as { sources?: string[] };
      for (const source of map.sources ?? []) {
        const target = resolve(f, source);
        if (!shipped.has(target)) dangling.push(`${f} -> ${target}`);
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe('peer dependencies', () => {
  const constructs = pkg.peerDependencies['constructs'] ?? '';

  it('accepts every constructs version cdktf accepts, the newest (10.8.1) included', () => {
    expect(semver.validRange(constructs)).not.toBeNull();
    expect(semver.subset(peerRangeOf('cdktf', 'constructs'), constructs)).toBe(true);
    expect(semver.satisfies('10.8.1', constructs)).toBe(true);
  });

  it('accepts every constructs version CDK Terrain accepts, which enforces its own narrower range', () => {
    expect(semver.subset(peerRangeOf('cdktn', 'constructs'), constructs)).toBe(true);
  });

  it('develops against a constructs that both cores accept', () => {
    const dev = pkg.devDependencies['constructs'] ?? '';
    expect(semver.satisfies(dev, peerRangeOf('cdktf', 'constructs'))).toBe(true);
    expect(semver.satisfies(dev, peerRangeOf('cdktn', 'constructs'))).toBe(true);
  });
});

describe("the README's Install section", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Install\n');
  const install = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('comes right after the opening commands and names both ways with the tarball npm pack writes', () => {
    expect(start).toBeGreaterThan(readme.indexOf('```sh\nnpm test\n```'));
    expect(start).toBeLessThan(readme.indexOf('\n## ', readme.indexOf('```sh\nnpm test\n```')) + 1);
    expect(install).toContain('npm install git+https://github.com/<your-org>/m3ter-config.git#<tag>');
    expect(install).toContain(`npm install ./m3ter-config-${pkg.version}.tgz`);
    expect(install).toContain('npm install-scripts approve m3ter-config');
  });

  it('recommends a supported Node line while engines keeps the oldest that runs', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(install).toMatch(/Node\.js 22 or 24/);
    expect(readme.slice(0, start)).not.toMatch(/Node\.js 20\.19 or later/);
  });
});
