/** Turns AWS SDK errors into one line that says what failed and what to do. */

const HTTP_FORBIDDEN = 403;
const HTTP_REQUEST_TIMEOUT = 408;
const HTTP_TOO_MANY_REQUESTS = 429;

/** What was being done when an AWS call failed. */
export interface AwsCallContext {
  /** e.g. `listing s3://bucket/prefix` */
  doing: string;
  /** The IAM permission the call needs, e.g. `s3:ListBucket`. */
  permission: string;
  /** The resource the permission applies to. */
  resource: string;
  /** The endpoint called, when the user chose one (--endpoint-url, AWS_ENDPOINT_URL...); named when it fails. */
  endpoint?: string | undefined;
}

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  /** Network errors of node:net / node:dns (as the SDK's HTTP handler raises them). */
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  /** The endpoint the user chose, as given (set on the errors of the clients trailscraper makes). */
  endpoint?: string;
}

// Network failures that mean the endpoint cannot be reached at all: another attempt seconds later fails the same way.
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ConnectionRefused: "connection refused",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "host name could not be resolved (DNS)",
  EAI_NONAME: "host not found (DNS)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** Why the endpoint could not be reached (connection refused, DNS failure...), or undefined for any other error. */
export function unreachableReason(error: unknown): string | undefined {
  const e = error as SdkError;
  if (e?.name === "TimeoutError" && /did not establish a connection/.test(e.message ?? "")) {
    return "no connection within the timeout (packets dropped?)";
  }
  return UNREACHABLE[e?.code ?? ""] ?? UNREACHABLE[e?.name ?? ""];
}

/** The host (and port) a network error names, e.g. `127.0.0.1:9` or `cloudtrail.eu-west-1.amazonaws.com`. */
function hostOf(error: unknown): string | undefined {
  const e = error as SdkError;
  if (e?.address) return e.port !== undefined ? `${e.address}:${e.port}` : e.address;
  return e?.hostname;
}

/** True when the error means no credentials could be found at all (fatal for the whole run). */
export function isCredentialsError(error: unknown): boolean {
  const e = error as SdkError;
  return e?.name === "CredentialsProviderError" || /could not load credentials/i.test(e?.message ?? "");
}

/** The error's AWS code (`NoSuchBucket`, `AccessDenied`, ...), if any. */
export function awsErrorCode(error: unknown): string | undefined {
  const e = error as SdkError;
  return e?.Code ?? (typeof e?.name === "string" && e.name !== "Error" ? e.name : undefined);
}

/** One line for an AWS failure: missing credentials, access denied (naming the permission), or the service's words. */
export function describeAwsError(error: unknown, context: AwsCallContext): string {
  const e = error as SdkError;
  const code = awsErrorCode(error);
  const message = (e?.message ?? String(error)).split("\n")[0];
  const unreachable = unreachableReason(error);
  if (unreachable) {
    const where = context.endpoint ?? e?.endpoint ?? hostOf(error) ?? "the AWS endpoint";
    return `cannot reach ${where} while ${context.doing}: ${unreachable}; ` +
      "check --endpoint-url, AWS_ENDPOINT_URL and the network";
  }
  if (isCredentialsError(error)) {
    return `no AWS credentials found while ${context.doing}: set AWS_PROFILE or --profile, ` +
      `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (${message})`;
  }
  if (code === "AccessDenied" || code === "AccessDeniedException" || e?.$metadata?.httpStatusCode === HTTP_FORBIDDEN) {
    const kms = /kms/i.test(message ?? "") ? " and kms:Decrypt on the bucket's KMS key (SSE-KMS)" : "";
    return `access denied while ${context.doing}: the caller needs ${context.permission} on ${context.resource}${kms}`;
  }
  if (code === "NoSuchBucket") return `${context.doing}: the bucket does not exist (NoSuchBucket)`;
  // An empty or unknown error body, or one that is not JSON/XML at all (an HTML page): not an AWS service.
  if (code === "Unknown" || message === "UnknownError" || (code === "SyntaxError" && e?.$metadata)) {
    const status = e?.$metadata?.httpStatusCode;
    const endpoint = context.endpoint ?? e?.endpoint;
    const where = endpoint ? `the endpoint ${endpoint}` : "the endpoint";
    return `${context.doing} failed: ${where} answered${status ? ` HTTP ${status}` : ""} without an AWS error ` +
      "(is it the right endpoint for this service? check --endpoint-url and AWS_ENDPOINT_URL)";
  }
  return `${context.doing} failed: ${code ? `${code}: ` : ""}${message}`;
}

// Errors that another attempt cannot fix.
const PERMANENT = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "NoSuchKey",
  "NoSuchBucket",
  "InvalidObjectState",
  "CredentialsProviderError",
]);

// Local file-system errors (by name, as Deno raises them) that another attempt cannot fix.
const LOCAL_PERMANENT = new Set(["PermissionDenied", "NotCapable", "IsADirectory", "NotADirectory", "ReadOnly"]);

/** True when an error may go away on retry: throttling, 5xx, resets; not a permission, a missing object or an abort. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DOMException && error.name === "AbortError") return false;
  if (error instanceof Error && LOCAL_PERMANENT.has(error.name)) return false;
  if (isCredentialsError(error) || unreachableReason(error)) return false;
  const code = awsErrorCode(error);
  if (code && PERMANENT.has(code)) return false;
  const status = (error as SdkError)?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500 || status === HTTP_REQUEST_TIMEOUT || status === HTTP_TOO_MANY_REQUESTS;
}

/** True when the service asked the caller to slow down. */
export function isThrottling(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === "ThrottlingException" || code === "TooManyRequestsException" || code === "SlowDown" ||
    code === "Throttling" || code === "RequestLimitExceeded";
}

/**
 * True when a failure ends the whole run (every other call would fail the same way), not just that call:
 * no credentials, an endpoint that cannot be reached.
 */
export function isFatalAwsError(error: unknown): boolean {
  return isCredentialsError(error) || unreachableReason(error) !== undefined;
}

/** True when a listing failure ends the whole run (every other call would fail the same way), not just that listing. */
export function isFatalListingError(error: unknown): boolean {
  return isFatalAwsError(error) || awsErrorCode(error) === "NoSuchBucket";
}
