/**
 * A policy as Terraform: one `aws_iam_policy_document` data source per document, a
 * `statement` block per statement. Placeholders become the caller identity and region
 * data sources; IAM policy variables (`${aws:username}`) are escaped as `$${...}`.
 */
import { ACCOUNT_PLACEHOLDER, REGION_PLACEHOLDER } from "../core/policy/policy_placeholders.ts";
import type { PolicyDocument, Statement } from "../core/policy/policy.ts";

const ACCOUNT = "${data.aws_caller_identity.current.account_id}";
const REGION = "${data.aws_region.current.name}";

/** An HCL string literal: JSON escapes, `${` and `%{` of policy variables escaped, placeholders interpolated. */
function hclString(value: string): string {
  // Function replacers: in a replacement string, `$$` would mean one `$`.
  const escaped = JSON.stringify(value).replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
  return escaped.replaceAll("$" + ACCOUNT_PLACEHOLDER, () => ACCOUNT).replaceAll(
    "$" + REGION_PLACEHOLDER,
    () => REGION,
  );
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
const hclList = (values: string[]) => `[${values.map(hclString).join(", ")}]`;

/** A resource policy's `Principal` ("*", or identifiers by type) as one block per type. */
function principalBlocks(block: string, principal: unknown): string[] {
  const byType = typeof principal === "object" && principal !== null && !Array.isArray(principal)
    ? Object.entries(principal)
    : [["*", principal] as const];
  return byType.flatMap(([type, identifiers]) => [
    `    ${block} {`,
    `      type        = ${hclString(type)}`,
    `      identifiers = ${hclList(list(identifiers))}`,
    "    }",
  ]);
}

function statementBlock(s: Statement): string[] {
  const lines = ["  statement {"];
  if (typeof s.Sid === "string") lines.push(`    sid       = ${hclString(s.Sid)}`);
  lines.push(`    effect    = ${hclString(s.Effect)}`);
  if ("NotAction" in s) lines.push(`    not_actions = ${hclList(list(s.NotAction))}`);
  else lines.push(`    actions   = ${hclList(list(s.Action))}`);
  if ("NotResource" in s) lines.push(`    not_resources = ${hclList(list(s.NotResource))}`);
  else if ("Resource" in s) lines.push(`    resources = ${hclList(list(s.Resource))}`);
  for (const [key, block] of [["Principal", "principals"], ["NotPrincipal", "not_principals"]] as const) {
    if (key in s) lines.push(...principalBlocks(block, s[key]));
  }
  const conditions = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
  for (const [test, byKey] of Object.entries(conditions)) {
    for (const [variable, values] of Object.entries(byKey)) {
      lines.push(
        "    condition {",
        `      test     = ${hclString(test)}`,
        `      variable = ${hclString(variable)}`,
        `      values   = ${hclList(list(values))}`,
        "    }",
      );
    }
  }
  lines.push("  }");
  return lines;
}

/** The Terraform configuration (`trailscraper`, `trailscraper_2`, ...). */
export function renderTerraform(policies: PolicyDocument[]): string {
  const blocks = policies.map((policy, i) =>
    [
      `data "aws_iam_policy_document" "trailscraper${i === 0 ? "" : `_${i + 1}`}" {`,
      ...policy.Statement.flatMap(statementBlock),
      "}",
    ]
      .join("\n")
  );
  const text = blocks.join("\n\n") + "\n";
  const sources = [
    ...(text.includes(ACCOUNT) ? ['data "aws_caller_identity" "current" {}'] : []),
    ...(text.includes(REGION) ? ['data "aws_region" "current" {}'] : []),
  ];
  return (sources.length ? sources.join("\n") + "\n\n" : "") + text;
}
