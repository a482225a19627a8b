/** m3ter's two kinds of org, as `GET users/me` answers `organization.type`. */
export type OrgType = 'PRODUCTION' | 'SANDBOX';

/** Where a plan or apply is aimed. Named on the first line of every plan. */
export type TargetDescription =
  | { type: 'm3ter'; orgId: string; baseUrl: string }
  | {
      type: 'local-emulator';
      /** The state file of the embedded emulator, e.g. `.m3ter/local.json`. */
      statePath: string;
      orgId: string;
      baseUrl: string;
    };

export function describeTarget(t: TargetDescription): string {
  return t.type === 'm3ter'
    ? `m3ter org ${t.orgId} at ${t.baseUrl}`
    : `local m3ter emulator (state ${t.statePath}), org ${t.orgId}`;
}

/**
 * What a plan says of its environment after the target: `environment "production", a PRODUCTION org`; empty for a
 * plan made without environments.
 */
export function describePlanEnvironment(plan: {
  environment?: { name: string } | undefined;
  orgType?: OrgType | undefined;
}): string {
  if (!plan.environment) return '';
  const kind = plan.orgType ? `, a ${plan.orgType} org` : '';
  return `environment ${JSON.stringify(plan.environment.name)}${kind}`;
}
