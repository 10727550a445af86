// Checks a call's input against the operation's client-view schemas before anything is sent.
import type { CallInit } from "./client.js";
import type { OperationMeta } from "./operation.js";
import { validate, type Issue } from "./validate.js";

const LOCATIONS = ["path", "query", "header"] as const;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === "object" && Object.keys(value).length === 0);

export function validateCall(meta: OperationMeta, init: CallInit): Issue[] {
  const issues: Issue[] = [];
  for (const location of LOCATIONS) {
    const schema = meta.params[location];
    const value = init.params?.[location];
    if (!schema) {
      // The operation has no parameter there: anything passed would be sent unchecked (or break the request).
      if (!isEmpty(value)) issues.push({ path: location, rule: "additionalProperties", message: "is not accepted by this operation" });
      continue;
    }
    // An operation's parameters are the ones its spec lists.
    validate(schema.additionalProperties === undefined ? { ...schema, additionalProperties: false } : schema, value ?? {}, location, issues);
  }
  if (!meta.body && init.body !== undefined) {
    issues.push({ path: "body", rule: "additionalProperties", message: "is not accepted by this operation (it has no request body)" });
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
