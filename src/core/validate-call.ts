// Checks a call's input against the operation's client-view schemas before anything is sent.
import type { CallInit } from "./client.js";
import type { OperationMeta } from "./operation.js";
import { validate, type Issue } from "./validate.js";

const LOCATIONS = ["path", "query", "header"] as const;

export function validateCall(meta: OperationMeta, init: CallInit): Issue[] {
  const issues: Issue[] = [];
  for (const location of LOCATIONS) {
    const schema = meta.params[location];
    if (!schema) continue;
    const value = init.params?.[location] ?? {};
    validate(schema, value, location, issues);
  }
  if (meta.body) {
    if (init.body === undefined) {
      if (meta.body.required) issues.push({ path: "body", rule: "required", message: "is required" });
    } else {
      validate(meta.body.schema, init.body, "body", issues);
    }
  }
  return issues;
}
