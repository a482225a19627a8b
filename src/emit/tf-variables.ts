/**
 * Terraform variable names for environment variable names: in lower case, as people write Terraform variables, and
 * one variable per environment variable. Two names that differ only in case (`OPS_KEY`, `ops_key`) would fold into one
 * variable, and one secret would be sent as the other's value, so the later one (in sorted order) gets a suffix.
 */
export function terraformVariableNames(envs: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const env of [...new Set(envs)].sort()) {
    const base = env.toLowerCase();
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    out.set(env, name);
  }
  return out;
}
