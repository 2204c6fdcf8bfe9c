/** An IAM action's two parts. */

/**
 * `prefix:name` split at the first colon only (`s3:GetObject:x` is the name `GetObject:x`, which IAM does not know), or
 * undefined without a colon.
 */
export function actionParts(action: string): { prefix: string; name: string } | undefined {
  const colon = action.indexOf(":");
  return colon === -1 ? undefined : { prefix: action.slice(0, colon), name: action.slice(colon + 1) };
}
