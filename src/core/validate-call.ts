// Checks a call's input against the operation's compiled validator before anything is sent.
import type { CallInit } from "./client.js";
import type { OperationMeta } from "./operation.js";
import { issuesOf, type CompiledValidator, type Issue } from "./validate.js";

const LOCATIONS = ["path", "query", "header"] as const;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === "object" && Object.keys(value).length === 0);

/**
 * The call as its validator sees it: `{ path, query, header, body }`. A location the operation has parameters
 * in is always present (so a missing required parameter is named); one it has none in only when the caller
 * filled it, so the validator can refuse it.
 */
export function callInput(meta: OperationMeta, init: CallInit): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const location of LOCATIONS) {
    const value = init.params?.[location];
    if (meta.params[location]) input[location] = value ?? {};
    else if (!isEmpty(value)) input[location] = value;
  }
  if (init.body !== undefined) input.body = init.body;
  return input;
}

export function validateCall(validator: CompiledValidator, meta: OperationMeta, init: CallInit): Issue[] {
  return issuesOf(validator, callInput(meta, init));
}
