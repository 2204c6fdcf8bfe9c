/**
 * Which members of an operation's input name the values of an IAM ARN format's placeholders, by their words:
 * `DBInstanceIdentifier` names `${DbInstanceName}` (both are "instance" once `db`, `name`, `identifier` are set
 * aside), `SourceDBSnapshotIdentifier` names `${SnapshotName}`, `DBClusterIdentifier` names `${DbClusterInstanceName}`
 * of the type `cluster`. Used by `scripts/update_resource_params.ts`; the matches are a generated table, not code the
 * program runs.
 */

/** A string member of an input or output shape, at its CloudTrail path. */
export interface MemberLeaf {
  /** The member's name in the model (`DBInstanceIdentifier`). */
  name: string;
  /** Where CloudTrail writes it (`requestParameters.dBInstanceIdentifier`, `requestParameters.a[].b`). */
  path: string;
  /** 1 for a top-level member. */
  depth: number;
}

/** A placeholder of one of the action's ARN formats, with the name of its resource type. */
export interface NamedPlaceholder {
  name: string;
  type: string;
}

/** Words that say what kind of value, not which resource: set aside on both sides. */
const FILLER = new Set(["name", "id", "ids", "identifier", "arn", "list", "db"]);
/** Words before a resource's kind that say which one of two (CopyDBSnapshot's source and target). */
const QUALIFIERS = new Set(["source", "target", "new", "existing", "current"]);
/** A member with one of these names names the action's resource when the action has only one kind. */
const BARE = new Set(["Name", "Names", "Id", "Ids", "Identifier", "Identifiers"]);
const ARN_MEMBER = /(?:Arn|ARN)s?$|^Resource(?:Name|Id|Identifier)?$/;
/** An ARN member that names the action's resource whatever its kind. */
const BARE_ARN = /^(?:Arn|ARN)s?$|^Resource(?:Arn|ARN|Name|Id|Identifier)?$/;
/** The kind of value a name ends in: an id and a name of the same words are different values. */
const KIND = /(Name|Id|Identifier)s?(?:With(?:out)?(?:LeadingSlash|Path))?$/;

function kindOf(name: string): string | undefined {
  const kind = KIND.exec(name)?.[1];
  return kind === "Identifier" ? undefined : kind;
}

/** The words of a member or placeholder name, lower case, singular, filler set aside. */
export function nameWords(name: string): string[] {
  const bare = name.replace(/With(?:out)?(?:LeadingSlash|Path)$/, "");
  const words = bare.match(/[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+/g) ?? [];
  return words.map((w) => w.toLowerCase())
    .map((w) => (w.length > 3 && w.endsWith("s") && !/(?:ss|us|is)$/.test(w) ? w.slice(0, -1) : w))
    .filter((w) => !FILLER.has(w));
}

const sameWords = (a: readonly string[], b: readonly string[]) =>
  a.length > 0 && a.length === b.length && a.every((w) => b.includes(w));

/** The member's words, and without a leading qualifier when it has one. */
function memberVariants(name: string): string[][] {
  const words = nameWords(name);
  return words.length > 1 && QUALIFIERS.has(words[0]!) ? [words, words.slice(1)] : [words];
}

/** True when a member's name says it holds ARNs (`RoleArn`, `TrailARN`, `Resource`). */
export function isArnMember(name: string): boolean {
  return ARN_MEMBER.test(name);
}

function matches(p: NamedPlaceholder, leaf: MemberLeaf, loose: boolean): boolean {
  // `LaunchTemplateName` has the words of `${LaunchTemplateId}`, but a name is not an id (`Identifier` is either).
  const kinds = [kindOf(p.name), kindOf(leaf.name)];
  if (kinds[0] !== undefined && kinds[1] !== undefined && kinds[0] !== kinds[1]) return false;
  const placeholder = nameWords(p.name);
  return memberVariants(leaf.name).some((member) => {
    if (sameWords(member, placeholder)) return true;
    if (!loose || member.length === 0 || member.length >= placeholder.length) return false;
    // `DBClusterIdentifier` for `${DbClusterInstanceName}` of type `cluster`: fewer words, the type's among them.
    const kind = nameWords(p.type.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()));
    return kind.length > 0 && kind.every((w) => member.includes(w)) && member.every((w) => placeholder.includes(w));
  });
}

/**
 * The paths that name each placeholder (`*`: paths whose values are ARNs, to test against every format of the
 * action): members whose words are the placeholder's, else members with fewer words that include the resource
 * type's; a bare `Name`/`Id` when the action has a single placeholder; ARN members of the request and response.
 */
export function paramPaths(
  placeholders: readonly NamedPlaceholder[],
  request: readonly MemberLeaf[],
  response: readonly MemberLeaf[],
): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  const add = (key: string, path: string) => (out[key] ??= new Set()).add(path);
  const distinct = [...new Set(placeholders.map((p) => p.name))];
  // ARN members that name one of the action's kinds of resource (`dBInstanceArn`), or any (`arn`, `resource`).
  for (const leaf of [...request, ...response]) {
    if (!isArnMember(leaf.name)) continue;
    if (BARE_ARN.test(leaf.name) || placeholders.some((p) => matches(p, leaf, true))) add("*", leaf.path);
  }
  const names = request.filter((leaf) => !isArnMember(leaf.name));
  for (const p of placeholders) {
    let exact = names.filter((leaf) => matches(p, leaf, false));
    if (exact.length === 0) exact = names.filter((leaf) => matches(p, leaf, true));

    if (exact.length === 0 && distinct.length === 1) exact = names.filter((l) => l.depth === 1 && BARE.has(l.name));
    for (const leaf of exact) add(p.name, leaf.path);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}
