import assert from "node:assert/strict";
import { isArnMember, type MemberLeaf, nameWords, paramPaths } from "../../scripts/param_match.ts";

const leaf = (name: string, depth = 1): MemberLeaf => ({
  name,
  path: `requestParameters.${name.charAt(0).toLowerCase()}${name.slice(1)}`,
  depth,
});

Deno.test("nameWords(): camel case and acronyms split, filler and plurals set aside", () => {
  assert.deepEqual(nameWords("DBInstanceIdentifier"), ["instance"]);
  assert.deepEqual(nameWords("DbInstanceName"), ["instance"]);
  assert.deepEqual(nameWords("RoleNameWithPath"), ["role"]);
  assert.deepEqual(nameWords("ParameterNameWithoutLeadingSlash"), ["parameter"]);
  assert.deepEqual(nameWords("SecurityGroupIds"), ["security", "group"]);
  assert.deepEqual(nameWords("SAMLProviderArn"), ["saml", "provider"]);
  assert.deepEqual(nameWords("Name"), []);
});

Deno.test("paramPaths(): RDS identifiers fill IAM's names, by kind of resource", () => {
  const placeholders = [
    { name: "DbInstanceName", type: "db" },
    { name: "DbClusterInstanceName", type: "cluster" },
    { name: "SnapshotName", type: "snapshot" },
    { name: "SubnetGroupName", type: "subgrp" },
  ];
  const request = [
    leaf("DBInstanceIdentifier"),
    leaf("DBClusterIdentifier"),
    leaf("SourceDBSnapshotIdentifier"),
    leaf("TargetDBSnapshotIdentifier"),
    leaf("DBSubnetGroupName"),
    leaf("DBClusterSnapshotIdentifier"),
  ];
  assert.deepEqual(paramPaths(placeholders, request, []), {
    DbInstanceName: ["requestParameters.dBInstanceIdentifier"],
    // Fewer words than the placeholder, the type's among them: the cluster, never the instance.
    DbClusterInstanceName: ["requestParameters.dBClusterIdentifier"],
    // A source and a target are both snapshots; a cluster snapshot is not.
    SnapshotName: ["requestParameters.sourceDBSnapshotIdentifier", "requestParameters.targetDBSnapshotIdentifier"],
    SubnetGroupName: ["requestParameters.dBSubnetGroupName"],
  });
});

Deno.test("paramPaths(): a name never fills an id; a bare Name only when the action has one placeholder", () => {
  const id = [{ name: "LaunchTemplateId", type: "launch-template" }];
  assert.deepEqual(paramPaths(id, [leaf("LaunchTemplateName"), leaf("LaunchTemplateId")], []), {
    LaunchTemplateId: ["requestParameters.launchTemplateId"],
  });
  assert.deepEqual(paramPaths(id, [leaf("LaunchTemplateName")], []), {}, "a name is not an id");
  const trail = [{ name: "TrailName", type: "trail" }];
  assert.deepEqual(paramPaths(trail, [leaf("Name")], []), { TrailName: ["requestParameters.name"] });
  assert.deepEqual(paramPaths(trail, [leaf("Name", 2)], []), {}, "a nested Name names something else");
  const two = [...trail, { name: "EventDataStoreId", type: "eventdatastore" }];
  assert.deepEqual(paramPaths(two, [leaf("Name")], []), {}, "which of two? neither");
});

Deno.test("paramPaths(): ARN members that name one of the action's kinds, or any resource, are ARN paths", () => {
  assert.equal(isArnMember("TrailARN"), true);
  assert.equal(isArnMember("Resource"), true);
  assert.equal(isArnMember("Arnold"), false);
  const placeholders = [{ name: "FunctionName", type: "function" }];
  const response: MemberLeaf[] = [
    { name: "FunctionArn", path: "responseElements.functionArn", depth: 1 },
    { name: "KMSKeyArn", path: "responseElements.kMSKeyArn", depth: 1 },
  ];
  assert.deepEqual(paramPaths(placeholders, [leaf("FunctionName"), leaf("Resource")], response), {
    "*": ["requestParameters.resource", "responseElements.functionArn"],
    FunctionName: ["requestParameters.functionName"],
  });
});

Deno.test("data/resource_params.json is what the service models and the IAM data give", async () => {
  const script = new URL("../../scripts/update_resource_params.ts", import.meta.url).pathname;
  const config = new URL("../../deno.dev.json", import.meta.url).pathname;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "--allow-read", script, "--check"],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});
