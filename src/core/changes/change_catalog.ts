/** Which write events `changes` reports, in which category, from data/change_events.json. */
import table from "../../../data/change_events.json" with { type: "json" };
import categoryIds from "../../../data/change_category_ids.json" with { type: "json" };
import { arrayOf, isObject, isString, loadTable, recordOf } from "../util/data_table.ts";

/** The stable category ids, in report order (the JSON output and `--category` use them). */
const CATEGORY_IDS = [
  "security-groups",
  "auto-scaling",
  "ec2-lifecycle",
  "iam",
  "storage",
  "database",
  "networking",
  "load-balancers",
] as const;

/** A stable category id. */
export type CategoryId = (typeof CATEGORY_IDS)[number];

if (JSON.stringify(categoryIds.ids) !== JSON.stringify(CATEGORY_IDS)) {
  throw new Error("data/change_category_ids.json does not list the category ids this code knows");
}

const isKnownId = (id: string): id is CategoryId => (CATEGORY_IDS as readonly string[]).includes(id);

/** A category as the report shows it. */
export interface ChangeCategory {
  id: CategoryId;
  label: string;
  indicator: string;
  /** eventSource -> eventNames. */
  events: Record<string, string[]>;
}

const isCategory = (v: unknown): v is ChangeCategory =>
  isObject(v) && isString(v.id) && isKnownId(v.id) && isString(v.label) && isString(v.indicator) &&
  recordOf(arrayOf(isString))(v.events);

const loaded = loadTable({ categories: table.categories }, "change_events.json", arrayOf(isCategory));

/** The categories, in report order. */
export const CHANGE_CATEGORIES: readonly ChangeCategory[] = loaded.categories!;

/** Request and response fields that name the resource a change touched, in the order they are shown. */
export const RESOURCE_KEYS: readonly string[] = loadTable(
  { resourceKeys: table.resourceKeys },
  "change_events.json",
  arrayOf(isString),
).resourceKeys!;

const byEvent = new Map<string, CategoryId>();
for (const category of CHANGE_CATEGORIES) {
  for (const [source, names] of Object.entries(category.events)) {
    for (const name of names) byEvent.set(`${source} ${name}`, category.id);
  }
}

/** Every tracked event name (of any source), for a quick text prefilter. */
export const CHANGE_EVENT_NAMES: readonly string[] = [...new Set([...byEvent.keys()].map((k) => k.split(" ")[1]!))];

/** The category of a write event, or undefined when `changes` does not track it. */
export function changeCategoryOf(eventSource: string, eventName: string): CategoryId | undefined {
  return byEvent.get(`${eventSource} ${eventName}`);
}

/** True for a valid category id (for `--category`). */
export function isCategoryId(id: string): id is CategoryId {
  return isKnownId(id);
}

/** The category with this id. */
export function categoryById(id: CategoryId): ChangeCategory {
  return CHANGE_CATEGORIES.find((c) => c.id === id)!;
}
