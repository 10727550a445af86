// `streamspec <provider> <operation> [flags]`: finds the command, parses its flags with util.parseArgs, builds
// the provider's client from the environment, runs it and maps the outcome to output and an exit code.
import { parseArgs } from "node:util";
import { Redactor } from "../core/redact.js";
import { commandsOf, findCommand, type Command, type Provider, type RunContext } from "./commands.js";
import { bashCompletion, zshCompletion } from "./completion.js";
import { captureFetch, describeRequest } from "./dry-run.js";
import { bindings, loadEnv, resolveOptions, strings, type Env } from "./env.js";
import { BODY_OPTION, GLOBAL_OPTIONS, parseOptions } from "./flags.js";
import { commandHelp, mainHelp, providerHelp } from "./help.js";
import { loadIndex, loadModule, packageVersion, providerNames } from "./locate.js";
import { errorJson, errorLine, type ErrorContext, type Io } from "./output.js";
import { readSpec } from "./spec.js";
import { EXIT, UsageError, exitCodeOf } from "./usage.js";

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const redactor = new Redactor();
  const errorContext: ErrorContext = { redactor };
  // Read before parsing, so a usage error is JSON too; a value can only be "--json" written as --flag=--json.
  const json = argv.includes("--json");
  try {
    return await dispatch([...argv], io, redactor, errorContext);
  } catch (error) {
    io.stderr.write(json ? `${JSON.stringify(errorJson(error, errorContext))}\n` : `${errorLine(error, errorContext)}\n`);
    if (error instanceof UsageError) io.stderr.write(`${usageHint(errorContext)}\n`);
    return exitCodeOf(error);
  }
}

function usageHint(ctx: ErrorContext): string {
  return ctx.provider ? `See: streamspec ${ctx.provider}${ctx.command ? ` ${ctx.command}` : ""} --help` : "See: streamspec --help";
}

async function loadProvider(name: string): Promise<Provider> {
  const index = await loadIndex(name);
  const spec = readSpec(name);
  let module: Promise<Record<string, unknown>> | undefined;
  return { name, index, spec, bindings: bindings(name, spec.env), module: () => (module ??= loadModule(name)) };
}

async function dispatch(argv: string[], io: Io, redactor: Redactor, errorContext: ErrorContext): Promise<number> {
  // First pass: only the positionals (provider, command) and the flags every command takes. Command flags are
  // unknown here; the strict pass below, with the command's own flags, refuses anything it does not define.
  const loose = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...BODY_OPTION, version: { type: "boolean" } }, strict: false, allowPositionals: true });
  const [first, second] = loose.positionals;
  const names = providerNames();

  if (first === undefined) {
    if (loose.values.version) {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    // From the indexes alone: parsing every spec would slow the plain `streamspec` down for nothing.
    const list = await Promise.all(names.map(async (n) => ({ name: n, index: await loadIndex(n) })));
    const text = mainHelp(list, packageVersion());
    if (loose.values.help) {
      io.stdout.write(text);
      return EXIT.ok;
    }
    io.stderr.write(text);
    return EXIT.usage;
  }

  if (first === "completion") {
    strict(argv, {}, 2);
    const tree = await Promise.all(names.map(async (n) => ({ provider: n, commands: commandsOf(await loadProvider(n)) })));
    if (second === "bash") io.stdout.write(bashCompletion(tree));
    else if (second === "zsh") io.stdout.write(zshCompletion(tree));
    else throw new UsageError("completion: say which shell: `streamspec completion bash` or `streamspec completion zsh`");
    return EXIT.ok;
  }

  if (!names.includes(first)) throw new UsageError(`unknown provider ${JSON.stringify(first)}; one of ${names.join(", ")}`);
  const provider = await loadProvider(first);
  errorContext.provider = provider.name;
  const commands = commandsOf(provider);

  if (second === undefined) {
    strict(argv, {}, 1);
    const text = providerHelp(provider, commands);
    if (loose.values.help) {
      io.stdout.write(text);
      return EXIT.ok;
    }
    io.stderr.write(text);
    return EXIT.usage;
  }

  const command = findCommand(commands, second);
  if (!command) throw new UsageError(`${provider.name} has no command ${JSON.stringify(second)}${suggest(second, commands)}`);
  errorContext.command = command.name;
  errorContext.flags = command.flags;
  const { values } = strict(argv, { ...parseOptions(command.flags), ...(command.body ? BODY_OPTION : {}) }, 2);
  if (values.help) {
    io.stdout.write(commandHelp(provider, command));
    return EXIT.ok;
  }
  return run(provider, commands, command, values, io, redactor, errorContext);
}

/** The strict pass: every flag must be one the command defines, with its value; exactly `count` positionals. */
function strict(argv: string[], options: Record<string, { type: "string"; multiple?: boolean }>, count: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs names the flag ("Unknown option '--foo'", "Option '--x <value>' argument missing"); it never
    // quotes a value.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, ""));
  }
  if (parsed.positionals.length > count) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[count])}`);
  return parsed as { values: Record<string, unknown>; positionals: string[] };
}

function suggest(name: string, commands: readonly Command[]): string {
  const close = commands.filter((c) => c.name.includes(name) || name.includes(c.name) || c.operationId?.toLowerCase() === name.toLowerCase());
  return close.length ? `; did you mean ${close.map((c) => c.name).join(", ")}?` : `; one of ${commands.map((c) => c.name).join(", ")}`;
}

async function run(provider: Provider, commands: readonly Command[], command: Command, values: Record<string, unknown>, io: Io, redactor: Redactor, errorContext: ErrorContext): Promise<number> {
  const env: Env = loadEnv(io.env, values["env-file"] as string | undefined);
  const dryRun = values["dry-run"] === true;
  const saveErrors: Error[] = [];
  Object.assign(errorContext, {
    operation: command.operation ?? command.name,
    bindings: provider.bindings,
    env,
    login: command.name !== "login" && commands.some((c) => c.name === "login") ? `streamspec ${provider.name} login` : undefined,
  });
  const resolved = resolveOptions(provider.name, provider.bindings, env, {
    dryRun,
    onSaved: (value) => redactor.add(...strings(value)),
    onSaveError: (error) => saveErrors.push(error),
  });
  redactor.add(...resolved.secrets);

  const capture = dryRun ? captureFetch() : undefined;
  const listeners: ((request: Request) => void)[] = [];
  const send = globalThis.fetch;
  const observed = (input: RequestInfo | URL, init?: RequestInit) => {
    if (listeners.length) {
      const request = input instanceof Request && !init ? input : new Request(input, init);
      for (const l of listeners) l(request);
      return send(request);
    }
    return send(input, init);
  };
  let client: Promise<Record<string, (...args: unknown[]) => unknown>> | undefined;
  const ctx: RunContext = {
    provider,
    values,
    io,
    env,
    redactor,
    dryRun,
    client: (without = []) =>
      (client ??= (async () => {
        const factory = (await provider.module())[provider.index.info.factory ?? ""];
        if (typeof factory !== "function") throw new Error(`streamspec/${provider.name} exports no ${provider.index.info.factory}`);
        for (const [option, error] of resolved.unreadable) if (!without.includes(option.split(".")[0]!)) throw error;
        const options = {
          ...Object.fromEntries(Object.entries(resolved.options).filter(([k]) => !without.includes(k))),
          ...(values["base-url"] !== undefined ? { baseUrl: values["base-url"] } : {}),
          fetch: capture?.fetch ?? observed,
          // A dry run stops at the first request: a retry would only capture it again.
          ...(dryRun ? { retry: false } : {}),
        };
        return factory(options);
      })()),
    onRequest: (listener) => listeners.push(listener),
  };

  let code: number;
  try {
    code = await command.run(ctx);
  } catch (error) {
    if (!capture?.requests.length) throw error;
    // The dry run's fetch refused to send: what it holds is the request that would have gone out.
    const requested = command.operation ?? command.name;
    // describeRequest masks by the request's own structure (headers, query, form fields); a second pass by
    // field name would hide which Authorization scheme goes out, so only known secret values are masked again.
    const shown = describeRequest(capture.requests[0]!, redactor, provider.index.operations, requested);
    io.stdout.write(`${redactor.text(JSON.stringify(shown, null, io.stdout.isTTY ? 2 : undefined))}\n`);
    code = EXIT.ok;
  }
  for (const e of saveErrors) io.stderr.write(`${errorLine(e, errorContext)}\n`);
  return saveErrors.length && code === EXIT.ok ? 1 : code;
}
