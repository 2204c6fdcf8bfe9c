import assert from "node:assert/strict";
import { mappingCoverage } from "../../scripts/mapping_coverage.ts";

for (const by of ["endpointPrefix", "signingName"] as const) {
  Deno.test(`at least 99% of all AWS API operations map to real IAM actions (eventSource by ${by})`, () => {
    const { total, mapped, residue } = mappingCoverage(by);
    assert.ok(total > 15000, `only ${total} operations in scripts/data/aws_operations.json`);
    const rate = mapped / total;
    assert.ok(rate >= 0.99, `${(rate * 100).toFixed(2)}% mapped; residue starts: ${residue.slice(0, 5).join("; ")}`);
  });
}
