/** IAM policy document types shared by the builder, guess and the renderers. */

/** One policy statement; `Action` and `Resource` as lists, other keys kept as given. */
export interface Statement {
  Effect: string;
  Action: string[] | string;
  Resource: string[] | string;
  [key: string]: unknown;
}

/** A policy document: `Version` and `Statement`, other top-level keys kept as given. */
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
  [key: string]: unknown;
}

/** The policy language version every generated policy uses. */
export const POLICY_VERSION = "2012-10-17";
