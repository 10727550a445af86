// --help at every level, from the operation index (method, path, retry safety, input rules) and the spec
// (summaries, descriptions, defaults).
import type { Command, Provider } from "./commands.js";
import type { Binding } from "./env.js";
import { describeConstraints, describeType, type Flag } from "./flags.js";
import type { GeneratedIndex } from "./locate.js";

const EXIT_CODES = `Exit codes: 0 success, 1 ProviderError (the provider said no), 2 ValidationError / ConfigError / usage,
3 TransportError (no usable answer).`;

const GLOBAL_FLAGS = `  --env-file <path>   read variables from a .env file (variables already set win)
  --base-url <url>    send to this base URL instead (also <PROVIDER>_BASE_URL), e.g. a local mock
  --dry-run           print the exact request that would be sent (signed, secrets masked); send nothing
  --json              print a failure as a JSON object on stderr instead of one line
  -h, --help          this help`;

export function mainHelp(providers: readonly { name: string; index: GeneratedIndex }[], version: string): string {
  const width = Math.max(...providers.map((p) => p.name.length), 10);
  return `streamspec ${version}: every operation of every provider, from the same specs as the clients

Usage:
  streamspec <provider> <operation> [flags]
  streamspec <provider> --help              the provider's operations and variables
  streamspec <provider> <operation> --help  the operation's flags
  streamspec completion bash|zsh            shell completion script

Providers:
${providers.map((p) => `  ${p.name.padEnd(width)}  ${p.index.info.title} (${Object.keys(p.index.operations).length} operations)`).join("\n")}

Flags of every command:
${GLOBAL_FLAGS}

Credentials come from the environment only, never from flags. Output: the success body as JSON on stdout;
failures on stderr. Fields holding credentials (tokens, codes, secret keys) are shown as [REDACTED].
${EXIT_CODES}
`;
}

export function providerHelp(provider: Provider, commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => {
    const retry = c.meta ? (c.meta.retrySafe ? "retried when safe" : "never retried") : "";
    return `  ${c.name.padEnd(width)}  ${c.summary ?? ""}${retry ? ` [${retry}]` : ""}`;
  });
  return `streamspec ${provider.name}: ${provider.spec.title ?? provider.index.info.title}
${provider.spec.summary ? `${provider.spec.summary}\n` : ""}
Usage: streamspec ${provider.name} <command> [flags]   (a command is also accepted by its operationId)

Commands:
${lines.join("\n")}

Environment:
${environment(provider.bindings)}

${EXIT_CODES}
`;
}

function environment(bindings: readonly Binding[]): string {
  const width = Math.max(...bindings.map((b) => b.variable.length));
  return bindings
    .map((b) => {
      const what = b.kind === "file" ? `a JSON file holding option \`${b.option}\`${b.saveWith ? " (new values are written back, mode 0600)" : ""}` : `option \`${b.option}\``;
      return `  ${b.variable.padEnd(width)}  ${what}${b.secret ? ", secret" : ""}`;
    })
    .join("\n");
}

export function commandHelp(provider: Provider, command: Command): string {
  const out: string[] = [`Usage: streamspec ${provider.name} ${command.name} [flags]`];
  if (command.operationId) out.push(`       (or: streamspec ${provider.name} ${command.operationId} [flags])`);
  out.push("");
  if (command.meta) {
    out.push(`${command.meta.method} ${command.meta.path}  ${command.meta.retrySafe ? "(retry-safe: retried after a network failure, timeout, 429, 502-504)" : "(not retry-safe: sent exactly once)"}`);
  }
  if (command.summary) out.push(command.summary);
  if (command.undocumented) out.push("", assumed(command.undocumented, ""));
  if (command.description) out.push("", indent(command.description, ""));
  out.push("", "Flags:");
  if (!command.flags.length && !command.body) out.push("  (none)");
  for (const flag of command.flags) out.push(...describeFlag(flag));
  if (command.body) {
    out.push(
      `  --body <json|@file|->`,
      `      the whole request body (${command.body.contentType}${command.body.required ? ", required" : ""}): JSON text, @file.json, or - for stdin` +
        (command.flags.some((f) => f.location === "body") ? `;\n      the field flags above are merged on top` : ""),
    );
    if (command.body.description) out.push(indent(command.body.description, "      "));
  }
  out.push("", "Flags of every command:", GLOBAL_FLAGS, "");
  return `${out.join("\n")}\n`;
}

function describeFlag(flag: Flag): string[] {
  const where = flag.location === "option" ? "" : ` ${flag.location}${flag.location === "body" ? " field" : " parameter"} ${flag.key}`;
  const head = `  --${flag.name} <${describeType(flag.schema)}>${flag.required ? "  required" : ""}  (${where.trim() || "option"})`;
  const lines = [head];
  const rules = describeConstraints(flag.schema);
  const details: string[] = [];
  if (rules.length) details.push(rules.join("; "));
  if (flag.docs?.default !== undefined) details.push(`default ${JSON.stringify(flag.docs.default)}`);
  if (flag.docs?.example !== undefined && typeof flag.docs.example !== "object") details.push(`e.g. ${JSON.stringify(flag.docs.example)}`);
  if (flag.docs?.deprecated) details.push("deprecated");
  if (details.length) lines.push(`      ${details.join("; ")}`);
  if (flag.docs?.description) lines.push(indent(flag.docs.description, "      "));
  if (flag.docs?.undocumented) lines.push(assumed(flag.docs.undocumented, "      "));
  return lines;
}

/** What the docs say of an `x-undocumented` item, in the same words. */
function assumed(reason: string, prefix: string): string {
  return indent(`Not documented by the provider: assumed because ${reason}`, prefix);
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line.trim() ? `${prefix}${line}` : ""))
    .join("\n");
}
