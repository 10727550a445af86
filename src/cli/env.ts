// Factory options from the environment, as each spec's info.x-streamspec.env maps them (specs/CONVENTIONS.md).
// Credentials never come from flags: a flag would land in the shell history and in `ps`.
import { readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { parseEnv } from "node:util";
import { ConfigError } from "../core/errors.js";
import { UsageError } from "./usage.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** One option the environment supplies. `option` is a dotted path into the factory options (`user.role`). */
export interface Binding {
  option: string;
  variable: string;
  /** `var`: the variable's value is the option; `file`: the variable names a JSON file whose content is. */
  kind: "var" | "file";
  secret: boolean;
  /** For a file: the factory callback that hands over a new value, written back to the file (mode 0600). */
  saveWith?: string;
}

/**
 * Flattens an env map. Entries: `option: VARIABLE`, `option: { var: VARIABLE, secret: true }`,
 * `option: { file: VARIABLE, secret: true, saveWith: onToken }`, or `option: { sub: ... }` for an object option.
 * Every provider also reads `<PROVIDER>_BASE_URL` for `baseUrl` unless its map names another variable.
 */
export function bindings(provider: string, map: unknown): Binding[] {
  const out: Binding[] = [];
  const where = (path: string) => `${provider} spec: info.x-streamspec.env${path ? `.${path}` : ""}`;
  const walk = (node: unknown, prefix: string) => {
    if (node === undefined && prefix === "") return;
    if (!node || typeof node !== "object" || Array.isArray(node)) throw new Error(`${where(prefix)} must be a map of option names`);
    for (const [key, entry] of Object.entries(node)) {
      const option = prefix ? `${prefix}.${key}` : key;
      if (typeof entry === "string") out.push({ option, variable: checkName(entry, where(option)), kind: "var", secret: false });
      else if (entry && typeof entry === "object" && ("var" in entry || "file" in entry)) {
        const e = entry as { var?: unknown; file?: unknown; secret?: unknown; saveWith?: unknown };
        const kind = e.file !== undefined ? "file" : "var";
        const saveWith = typeof e.saveWith === "string" ? e.saveWith : undefined;
        out.push({ option, variable: checkName(kind === "file" ? e.file : e.var, where(option)), kind, secret: e.secret === true, ...(saveWith ? { saveWith } : {}) });
      } else walk(entry, option);
    }
  };
  walk(map, "");
  if (!out.some((b) => b.option === "baseUrl")) out.push({ option: "baseUrl", variable: `${provider.toUpperCase()}_BASE_URL`, kind: "var", secret: false });
  return out;
}

function checkName(name: unknown, where: string): string {
  if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`${where}: ${JSON.stringify(name)} is not an environment variable name`);
  return name;
}

/** The environment, with `--env-file` under it: as with Node's own --env-file, a variable already set wins. */
export function loadEnv(env: Env, envFile: string | undefined): Env {
  if (envFile === undefined) return env;
  let content: string;
  try {
    content = readFileSync(envFile, "utf8");
  } catch (error) {
    throw new UsageError(`--env-file: cannot read ${envFile} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return { ...parseEnv(content), ...env };
}

export interface Resolved {
  options: Record<string, unknown>;
  /** Values to mask in every output. */
  secrets: string[];
  /** Options whose file could not be read, by option: thrown when a client needs them (a login does not). */
  unreadable: Map<string, ConfigError>;
}

/**
 * The factory options the environment gives. `onSaved` learns every value written back to a file (they are
 * secrets too); a write that fails is reported through `onSaveError` instead of failing the call that
 * triggered it (the call itself went through).
 */
export function resolveOptions(
  provider: string,
  list: readonly Binding[],
  env: Env,
  hooks: { dryRun: boolean; onSaved(value: unknown): void; onSaveError(error: Error): void },
): Resolved {
  const options: Record<string, unknown> = {};
  const secrets: string[] = [];
  const unreadable = new Map<string, ConfigError>();
  for (const b of list) {
    const raw = env[b.variable];
    if (raw === undefined || raw === "") continue;
    if (b.kind === "var") {
      set(options, b.option, raw);
      if (b.secret) secrets.push(raw);
      continue;
    }
    let value: unknown;
    try {
      value = readJsonFile(provider, b, raw);
    } catch (error) {
      unreadable.set(b.option, error as ConfigError);
    }
    if (value !== undefined) {
      set(options, b.option, value);
      if (b.secret) secrets.push(...strings(value));
    }
    if (b.saveWith) {
      const file = raw;
      set(options, b.saveWith, (next: unknown) => {
        hooks.onSaved(next);
        if (hooks.dryRun) return;
        try {
          writeSecretFile(file, next);
        } catch (error) {
          hooks.onSaveError(new Error(`could not write ${b.variable} (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
        }
      });
    }
  }
  return { options, secrets, unreadable };
}

function readJsonFile(provider: string, b: Binding, file: string): unknown {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined; // not written yet (e.g. before a login)
    throw new ConfigError(provider, b.option, `could not be read from ${b.variable} (${file}): ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  try {
    return JSON.parse(content);
  } catch {
    // The parser's message would quote the file's content, which may be a secret.
    throw new ConfigError(provider, b.option, `could not be read from ${b.variable} (${file}): not valid JSON`);
  }
}

/** Writes JSON readable by the owner only: a fresh 0600 file renamed over the old one, so no reader sees half of it. */
export function writeSecretFile(file: string, value: unknown): void {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The bindings behind a ConfigError's option (`user` → user.user_id, user.name, user.role). */
export function bindingsFor(option: string, list: readonly Binding[]): Binding[] {
  const top = option.split(".")[0]!;
  const exact = list.filter((b) => b.option === option || b.option.startsWith(`${option}.`));
  return exact.length ? exact : list.filter((b) => b.option === top || b.option.startsWith(`${top}.`));
}

function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

export function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}
