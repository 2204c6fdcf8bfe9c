import assert from "node:assert/strict";
import { iniProfileValue } from "../../../src/core/aws/aws_ini.ts";

const CONFIG = `# the default
[default]
region = eu-central-1 ; a comment
output=json

[profile ops]
s3 =
  region = not-this-one
region=ap-south-1

[sso-session ops]
region = us-west-2

[services ops]
region = ca-central-1
`;

Deno.test("iniProfileValue(): a profile's key in a config file; sub-sections, other sections and comments ignored", () => {
  const region = (profile: string) => iniProfileValue(CONFIG, { kind: "config", profile, key: "region" });
  assert.equal(region("default"), "eu-central-1");
  assert.equal(region("ops"), "ap-south-1");
  assert.equal(region("missing"), undefined);
  assert.equal(
    iniProfileValue("[ops]\nregion = eu-west-3\n", { kind: "config", profile: "ops", key: "region" }),
    undefined,
  );
});

Deno.test("iniProfileValue(): the credentials file names profiles without the `profile` prefix", () => {
  const text = "[ops]\r\naws_access_key_id = AKIA\r\nregion = eu-west-3\r\n";
  assert.equal(iniProfileValue(text, { kind: "credentials", profile: "ops", key: "region" }), "eu-west-3");
  assert.equal(iniProfileValue("", { kind: "credentials", profile: "ops", key: "region" }), undefined);
});
