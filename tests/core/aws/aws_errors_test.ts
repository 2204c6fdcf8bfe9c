import assert from "node:assert/strict";
import {
  describeAwsError,
  isFatalAwsError,
  isThrottling,
  isTransient,
  unreachableReason,
} from "../../../src/core/aws/aws_errors.ts";

/** Errors shaped as the SDK's HTTP handler raises them (node:net, node:dns, its own connect timeout). */
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
  code: "ECONNREFUSED",
  address: "127.0.0.1",
  port: 9,
  $metadata: { attempts: 1 },
});
const noHost = Object.assign(new Error("getaddrinfo ENOTFOUND cloudtrail.xx-nowhere-1.amazonaws.com"), {
  code: "ENOTFOUND",
  hostname: "cloudtrail.xx-nowhere-1.amazonaws.com",
});
const dropped = Object.assign(
  new Error(
    "@smithy/node-http-handler - the request socket did not establish a connection with the server within " +
      "the configured timeout of 5000 ms.",
  ),
  { name: "TimeoutError" },
);
const throttled = Object.assign(new Error("Rate exceeded"), {
  name: "ThrottlingException",
  $metadata: { httpStatusCode: 400 },
});
const context = { doing: "looking up events in eu-west-1", permission: "cloudtrail:LookupEvents", resource: "*" };

Deno.test("unreachableReason(): refused connections, DNS failures and connect timeouts; not throttling or a reset", () => {
  assert.equal(unreachableReason(refused), "connection refused");
  assert.equal(unreachableReason(noHost), "host not found (DNS)");
  assert.match(unreachableReason(dropped) ?? "", /no connection within the timeout/);
  assert.equal(unreachableReason(throttled), undefined);
  assert.equal(unreachableReason(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })), undefined);
});

Deno.test("an unreachable endpoint is neither retried nor a failure of one call: it stops the run", () => {
  for (const e of [refused, noHost, dropped]) {
    assert.equal(isTransient(e), false);
    assert.equal(isFatalAwsError(e), true);
    assert.equal(isThrottling(e), false);
  }
  assert.equal(isThrottling(throttled), true); // retried with backoff (retryable: throttling or transient)
  assert.equal(isFatalAwsError(throttled), false);
});

Deno.test("describeAwsError() names the endpoint it could not reach: the configured URL, else the host of the error", () => {
  assert.equal(
    describeAwsError(refused, { ...context, endpoint: "http://127.0.0.1:9" }),
    "cannot reach http://127.0.0.1:9 while looking up events in eu-west-1: connection refused; " +
      "check --endpoint-url, AWS_ENDPOINT_URL and the network",
  );
  assert.match(describeAwsError(refused, context), /^cannot reach 127\.0\.0\.1:9 while/);
  // The endpoint the client carried onto its error (createS3Client, createCloudTrailClient), as the user gave it.
  const carried = Object.assign(Object.create(refused), { endpoint: "https://s3.local:4566" });
  assert.match(describeAwsError(carried, context), /^cannot reach https:\/\/s3\.local:4566 while/);
  assert.match(describeAwsError(noHost, context), /^cannot reach cloudtrail\.xx-nowhere-1\.amazonaws\.com while/);
});

Deno.test("describeAwsError(): an answer without an AWS error is said in words, never 'Unknown: UnknownError'", () => {
  const unknown = Object.assign(new Error("UnknownError"), { name: "Unknown", $metadata: { httpStatusCode: 400 } });
  const html = Object.assign(new SyntaxError("Unexpected token '<'"), { $metadata: { httpStatusCode: 404 } });
  assert.equal(
    describeAwsError(unknown, { ...context, endpoint: "http://127.0.0.1:9000" }),
    "looking up events in eu-west-1 failed: the endpoint http://127.0.0.1:9000 answered HTTP 400 without an AWS " +
      "error (is it the right endpoint for this service? check --endpoint-url and AWS_ENDPOINT_URL)",
  );
  assert.match(describeAwsError(html, context), /failed: the endpoint answered HTTP 404 without an AWS error/);
});
