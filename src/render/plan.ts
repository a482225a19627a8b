import type { Plan } from '../model/plan.js';
import { painter } from './ansi.js';
import { renderPlanJson } from './plan-json.js';
import { type PlanMarkdownOptions, renderPlanMarkdown } from './plan-markdown.js';
import { renderPlanText } from './plan-text.js';

export type { ChangeJson, PlanJson } from './plan-json.js';
export { planToJson, serializePlan } from './plan-json.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

export interface RenderPlanOptions {
  format: PlanFormat;
  /** ANSI colour, text format only. The CLI decides it from the TTY and NO_COLOR; the renderer never looks. */
  color: boolean;
  /** Markdown only: the size limit and where the whole plan is (see renderPlanMarkdown). */
  markdown?: PlanMarkdownOptions;
}

/**
 * A plan for people (`text`, Terraform-like), machines (`json`, see docs/plan-json.md) or a pull request
 * (`markdown`). Pure. Every format names the target first and shows secrets as `(sensitive)` or their
 * environment variable name, never a value. The result ends with a newline.
 */
export function renderPlan(plan: Plan, options: RenderPlanOptions): string {
  switch (options.format) {
    case 'json':
      return renderPlanJson(plan);
    case 'markdown':
      return renderPlanMarkdown(plan, options.markdown);
    case 'text':
      return renderPlanText(plan, painter(options.color));
  }
}
