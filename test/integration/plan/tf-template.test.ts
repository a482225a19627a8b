import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigSources, translateSynth } from '../../../src/load/cdktf-synth.js';
import { escapeTemplate, unescapeTemplate } from '../../../src/model/tf-template.js';
import { exportConfig } from '../../../src/workflow/export.js';
import { hostileString, seededRandom } from '../../unit/emit/hostile.js';
import { CORES, synth } from '../../unit/cdktf/synth.js';

/**
 * Every string in Terraform JSON is a template: text from m3ter or a config file holding `${...}` or `%{...}` must be
 * written escaped and read back as the same text, never evaluated (a `${var.X}` resolved from TF_VAR_X would send a
 * secret of the environment to m3ter as a description).
 */

const TEMPLATE_PIECES = [
  '${',
  '%{',
  '$',
  '%',
  '$$',
  '%%',
  '{',
  '}',
  '${var.aws_secret_access_key}',
  '$${',
  '%%{',
];
const STOLEN = 'AKIA-stolen-value-1234567890';
const ENV = { TF_VAR_aws_secret_access_key: STOLEN, TF_VAR_k: 'fake-key', TF_VAR_s: 'fake-secret' };

function hostileTemplate(random: () => number): string {
  let s = '';
  const n = 1 + Math.floor(random() * 6);
  for (let i = 0; i < n; i++)
    s +=
      random() < 0.6
        ? (TEMPLATE_PIECES[Math.floor(random() * TEMPLATE_PIECES.length)] as string)
        : hostileString(random, 1);
  return /\S/.test(s) ? s : `x${s}`;
}

describe('Terraform template escapes', () => {
  it('unescape(escape(s)) is s for hostile text, and an escaped string holds no live interpolation', () => {
    const random = seededRandom(22);
    for (let i = 0; i < 2000; i++) {
      const s = hostileTemplate(random);
      expect(unescapeTemplate(escapeTemplate(s))).toBe(s);
    }
    expect(escapeTemplate('$${x}')).toBe('$$${x}');
    expect(unescapeTemplate('$$${x}')).toBe('$${x}');
    expect(unescapeTemplate('a ${var.x}')).toBeUndefined();
    expect(unescapeTemplate('%{ if true }x%{ endif }')).toBeUndefined();
  });
});

const stackDoc = (description: string, extra: Record<string, unknown> = {}) => ({
  resource: {
    m3ter_webhook: {
      hook: {
        name: 'Hook',
        description,
        url: 'https://example.com/h',
        credentials: { type: 'M3TER_SIGNED_REQUEST', api_key: '${var.k}', secret: '${var.s}' },
      },
    },
  },
  variable: { k: { type: 'string', sensitive: true }, s: { type: 'string', sensitive: true }, ...extra },
});

describe('the synth reader', () => {
  it('refuses `${var.X}` of a variable the file does not declare, even when TF_VAR_X is set', () => {
    const t = translateSynth('cdk.tf.json', JSON.stringify(stackDoc('${var.aws_secret_access_key}')), ENV);
    expect(t.issues.map((i) => [i.code, i.pointer])).toEqual([
      ['undeclared_variable', '/resource/m3ter_webhook/hook/description'],
    ]);
    expect(t.text).not.toContain(STOLEN);
    expect(JSON.stringify(t.issues)).not.toContain(STOLEN);
  });

  it("refuses a sensitive variable (a webhook's own secret) in a plain field, and shows no part of it", () => {
    for (const description of ['${var.s}', '${var.k}']) {
      const t = translateSynth('cdk.tf.json', JSON.stringify(stackDoc(description)), ENV);
      expect(t.issues.map((i) => [i.code, i.pointer])).toEqual([
        ['sensitive_in_plain_field', '/resource/m3ter_webhook/hook/description'],
      ]);
      const shown = t.text + JSON.stringify(t.issues);
      for (const secret of ['fake-key', 'fake-secret']) expect(shown).not.toContain(secret);
    }
  });

  it('reads `$${` and `%%{` as literal text, and refuses a directive', () => {
    const ok = translateSynth(
      'cdk.tf.json',
      JSON.stringify(stackDoc('$${var.aws_secret_access_key} %%{ if }')),
      ENV,
    );
    expect(ok.issues).toEqual([]);
    expect(JSON.parse(ok.text).webhooks[0].description).toBe('${var.aws_secret_access_key} %{ if }');
    const bad = translateSynth('cdk.tf.json', JSON.stringify(stackDoc('%{ if true }x%{ endif }')), ENV);
    expect(bad.issues.map((i) => i.code)).toEqual(['unsupported_expression']);
  });
});

describe.each(CORES)('$name constructs: a literal string synthesizes as itself', (core) => {
  it('construct -> synth -> reader gives hostile text back, never a variable’s value', async () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 8 }, () => hostileTemplate(random).slice(0, 150));
    values.push('${var.aws_secret_access_key}', '%{ if true }x%{ endif }', '$${already}');
    const { outdir } = synth(
      core,
      (stack, m3) => {
        new core.lib.TerraformVariable(stack, 'aws_secret_access_key', { type: 'string', sensitive: true });
        values.forEach((v, n) => {
          new m3.Webhook(stack, `hook${n}`, {
            code: `hook${n}`,
            name: v,
            description: v,
            url: `https://example.com/${encodeURIComponent(v)}`,
            apiKey: m3.sensitiveVariable(stack, `k${n}`),
            secret: m3.sensitiveVariable(stack, `s${n}`),
          });
        });
        new m3.Credential(stack, 'cred', {
          name: '${var.aws_secret_access_key}',
          destination: 'AWS Marketplace',
          type: 'AWS_INTEGRATION',
          fields: {
            accessKeyId: '${var.aws_secret_access_key}',
            secretAccessKey: m3.sensitiveVariable(stack, 'aws_key'),
            region: '%{ if true }eu%{ endif }',
          },
        });
      },
      { keep: true },
    );
    try {
      const env: Record<string, string> = { ...ENV, TF_VAR_aws_key: 'fake' };
      values.forEach((_v, n) => {
        env[`TF_VAR_k${n}`] = 'fake-key';
        env[`TF_VAR_s${n}`] = 'fake-secret';
      });
      const loaded = await loadConfigSources([path.join(outdir, 'stacks/stack')], { env, cwd: outdir });
      expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const hooks = loaded.state!.resources.webhook;
      values.forEach((v, n) => {
        expect(hooks.get(`hook${n}`)?.attributes.description).toBe(v);
        expect(hooks.get(`hook${n}`)?.attributes.name).toBe(v);
      });
      const [cred] = [...loaded.state!.resources.credential.values()];
      expect(cred?.attributes.name).toBe('${var.aws_secret_access_key}');
      expect(cred?.attributes.settings).toMatchObject({
        accessKeyId: '${var.aws_secret_access_key}',
        region: '%{ if true }eu%{ endif }',
      });
      expect(JSON.stringify([...hooks.values()].map((h) => h.attributes))).not.toContain(STOLEN);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('export --format tf-json', () => {
  const yaml = (description: string) => `webhooks:
  - code: a
    name: A
    description: ${JSON.stringify(description)}
    url: https://example.com/a
    credentials: { apiKey: { env: OPS_KEY }, secret: { env: OPS_SECRET } }
  - code: b
    name: "%{ if true }B%{ endif }"
    description: "$$\${var.x}"
    url: https://example.com/b
    credentials: { apiKey: { env: ops_key }, secret: { env: ops_secret } }
`;

  it('escapes plain strings and keeps variables of names differing only in case apart (round trip)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-export-'));
    try {
      writeFileSync(path.join(dir, 'm3ter.yaml'), yaml('${var.ops_key}'));
      const out = await exportConfig(['m3ter.yaml'], { env: {}, cwd: dir, format: 'tf-json' });
      const doc = JSON.parse(out.text) as { variable: Record<string, unknown> };
      expect(Object.keys(doc.variable).sort()).toEqual([
        'ops_key',
        'ops_key_2',
        'ops_secret',
        'ops_secret_2',
      ]);
      writeFileSync(path.join(dir, 'cdk.tf.json'), out.text);
      const loaded = await loadConfigSources(['cdk.tf.json'], {
        env: {
          TF_VAR_ops_key: 'key-of-a',
          TF_VAR_ops_key_2: 'key-of-b',
          TF_VAR_ops_secret: 'secret-of-a',
          TF_VAR_ops_secret_2: 'secret-of-b',
        },
        cwd: dir,
      });
      expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const hooks = loaded.state!.resources.webhook;
      expect(hooks.get('a')?.attributes.description).toBe('${var.ops_key}');
      expect(hooks.get('b')?.attributes.name).toBe('%{ if true }B%{ endif }');
      // YAML's escape: `$$${` in the file is the text `$${`.
      expect(hooks.get('b')?.attributes.description).toBe('$${var.x}');
      expect(hooks.get('a')?.secrets?.['apiKey']?.reveal()).toBe('key-of-a');
      expect(hooks.get('b')?.secrets?.['apiKey']?.reveal()).toBe('key-of-b');
      expect(hooks.get('b')?.secrets?.['secret']?.reveal()).toBe('secret-of-b');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
