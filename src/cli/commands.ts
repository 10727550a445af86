// The commands of a provider: one per operation of its generated index (named by the kebab-cased operationId,
// or the operationId itself), plus the few hand-written ones in ./extras (a login, a paginated listing, a
// signature check) that are not single operations.
import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";
import { ValidationError, type Issue } from "../core/errors.js";
import type { OperationMeta } from "../core/operation.js";
import type { Redactor } from "../core/redact.js";
import type { Binding, Env } from "./env.js";
import { buildInit, kebab, operationFlags, type Flag } from "./flags.js";
import type { GeneratedIndex } from "./locate.js";
import { printJson, type Io } from "./output.js";
import type { SpecDocs } from "./spec.js";
import { UsageError } from "./usage.js";
import { extrasFor } from "./extras/index.js";

export interface Provider {
  name: string;
  index: GeneratedIndex;
  spec: SpecDocs;
  bindings: Binding[];
  /** streamspec/<name>, loaded when a command needs it. */
  module(): Promise<Record<string, unknown>>;
}

export interface RunContext {
  provider: Provider;
  /** Parsed flags, by flag name. */
  values: Record<string, unknown>;
  io: Io;
  env: Env;
  redactor: Redactor;
  dryRun: boolean;
  /**
   * The provider's client, built from the environment (a ConfigError names what is missing); `without` leaves
   * options out (a login replaces whatever token file there is, so it does not read it).
   */
  client(without?: readonly string[]): Promise<Record<string, (...args: unknown[]) => unknown>>;
  /** Called with every request the client sends (progress reports). */
  onRequest(listener: (request: Request) => void): void;
}

export interface Command {
  name: string;
  /** The operationId, also accepted as the command's name. */
  operationId?: string;
  summary?: string;
  description?: string;
  /** The spec's `x-undocumented` reason for the operation, if it is assumed. */
  undocumented?: string;
  /** For operations: method, path, and whether the client retries it. */
  meta?: OperationMeta;
  flags: Flag[];
  /** Takes `--body`: the operation's request body. */
  body?: { contentType: string; required: boolean; description?: string };
  /** The operation whose ValidationErrors are this command's own (others come from a login on the way). */
  operation?: string;
  run(ctx: RunContext): Promise<number>;
}

export function commandsOf(provider: Provider): Command[] {
  const ops = Object.entries(provider.index.operations).map(([id, meta]) => operationCommand(provider, id, meta));
  return [...ops, ...extrasFor(provider)];
}

export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.name === name || c.operationId === name);
}

function operationCommand(provider: Provider, id: string, meta: OperationMeta): Command {
  const docs = provider.spec.operation(id);
  const flags = operationFlags(meta, docs);
  return {
    name: kebab(id),
    operationId: id,
    operation: id,
    summary: docs?.summary,
    description: docs?.description,
    undocumented: docs?.undocumented,
    meta,
    flags,
    ...(meta.body ? { body: { contentType: meta.body.contentType, required: meta.body.required, description: docs?.bodyDescription } } : {}),
    async run(ctx) {
      const issues: Issue[] = [];
      const init = buildInit(meta, flags, ctx.values, await readBody(ctx.values.body as string | undefined, ctx.io), issues);
      if (issues.length) throw new ValidationError(provider.name, id, issues);
      // Credentials the caller passes (a refresh_token, a code) are secrets too.
      ctx.redactor.learn(init.body).learn(init.params?.query);
      const client = await ctx.client();
      const data = await client[id]!(init);
      if (data !== undefined) printJson(ctx.io, ctx.redactor, data, docs?.secretFields);
      return 0;
    },
  };
}

/** `--body '<json>'`, `--body @file.json` or `--body -` (stdin). */
export async function readBody(value: string | undefined, io: Io): Promise<unknown> {
  if (value === undefined) return undefined;
  let source: string;
  if (value === "-") source = await text(io.stdin);
  else if (value.startsWith("@")) {
    try {
      source = await readFile(value.slice(1), "utf8");
    } catch (error) {
      throw new UsageError(`--body: cannot read ${value.slice(1)} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  } else source = value;
  try {
    return JSON.parse(source);
  } catch (error) {
    // V8 quotes the text around the error, which may hold a secret: keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new UsageError(`--body: not valid JSON${position ? ` (at position ${position})` : ""}`);
  }
}
