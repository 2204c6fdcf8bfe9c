/** Every step the worker pool can run, by name: the pool posts the name, the worker looks the step up here. */
import { changesStep } from "./changes_step.ts";
import { generateStep } from "./generate_step.ts";
import { selectStep } from "./select_step.ts";
import { syncStep } from "./sync_step.ts";

/** The steps by name. */
export const STEPS = {
  select: selectStep,
  changes: changesStep,
  sync: syncStep,
  generate: generateStep,
} as const;

/** A step's name. */
export type StepName = keyof typeof STEPS;

/** The parameters a named step takes. */
export type StepParams<N extends StepName> = Parameters<(typeof STEPS)[N]["apply"]>[1];

/** What a named step returns for one document. */
export type StepOut<N extends StepName> = (typeof STEPS)[N] extends { apply(...a: never[]): infer R }
  ? R extends { ok: true; out: infer O } ? O : never
  : never;
