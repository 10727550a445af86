// SOOP's commands beyond single operations: `login` (the OAuth code flow, saving the token where the spec's
// env map says: SOOP_TOKEN_FILE, mode 0600) and `list-all-broadcasts` (every page of listBroadcasts).
import { existsSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { ConfigError, ValidationError, type Issue } from "../../core/errors.js";
import type { Command, Provider } from "../commands.js";
import { buildInit, operationFlags, type Flag } from "../flags.js";
import { printJson, type Io } from "../output.js";
import { UsageError } from "../usage.js";

export function soopExtras(provider: Provider): Command[] {
  const commands: Command[] = [];
  const tokenFile = provider.bindings.find((b) => b.kind === "file" && b.saveWith);
  if (tokenFile) commands.push(login(provider, tokenFile.variable, tokenFile.option));
  const list = provider.index.operations.listBroadcasts;
  if (list) commands.push(listAll(provider, list));
  return commands;
}

function login(provider: Provider, variable: string, option: string): Command {
  const code: Flag = {
    name: "code",
    location: "option",
    key: "code",
    schema: { type: "string", minLength: 1 },
    required: false,
    docs: { description: "The verification code SOOP put in the Redirect URI (or that whole URL). Asked for on stdin when left out." },
  };
  return {
    name: "login",
    summary: `Sign a user in: print the authorize URL, exchange the code, save the token to ${variable} (mode 0600)`,
    description:
      `Prints the URL to open (SOOP's auth/code page for SOOP_CLIENT_ID); after signing in, SOOP redirects to your\n` +
      `Redirect URI with ?code=. Give that code (or the whole URL) with --code or at the prompt: it is exchanged for\n` +
      `a token (issueToken), which is written to the file ${variable} names, readable by you only. Later commands\n` +
      `use it and write refreshed tokens back to it.`,
    flags: [code],
    operation: "issueToken",
    async run(ctx) {
      const file = ctx.env[variable];
      if (!file) throw new ConfigError(provider.name, option, `is saved to the file ${variable} names`);
      const client = (await ctx.client([option])) as unknown as { authorizeUrl(): string; exchangeCode(code: string): Promise<{ expiresAt: number }> };
      ctx.io.stderr.write(`Open this URL, sign in to SOOP, and copy the code from the address SOOP sends you to:\n${ctx.redactor.url(client.authorizeUrl())}\n`);
      const given = (ctx.values.code as string | undefined) ?? (await prompt(ctx.io, "Code (or the whole redirect URL): "));
      const verification = codeFrom(given.trim());
      if (!verification) throw new UsageError("no verification code given");
      ctx.redactor.add(verification);
      const token = await client.exchangeCode(verification);
      if (!ctx.dryRun && !existsSync(file)) throw new Error(`the token was not saved to ${variable} (${file})`);
      printJson(ctx.io, ctx.redactor, { saved: file, expiresAt: new Date(token.expiresAt).toISOString() });
      return 0;
    },
  };
}

/** A pasted redirect URL (…?code=…) or the bare code. */
function codeFrom(input: string): string {
  if (URL.canParse(input)) return new URL(input).searchParams.get("code") ?? "";
  return input;
}

async function prompt(io: Io, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: Boolean(io.stdin.isTTY) });
  try {
    const closed = new Promise<string>((resolve) => rl.once("close", () => resolve("")));
    return await Promise.race([rl.question(question), closed]);
  } finally {
    rl.close();
  }
}

function listAll(provider: Provider, meta: NonNullable<Provider["index"]["operations"][string]>): Command {
  const docs = provider.spec.operation("listBroadcasts");
  // Only the query (no callback: every page is unwrapped anyway; page_no is the first page).
  const flags = operationFlags({ ...meta, params: { query: meta.params.query! }, body: undefined } as typeof meta, docs).filter((f) => f.key !== "callback");
  return {
    name: "list-all-broadcasts",
    summary: "Every live broadcast, page after page: one JSON line per broadcast",
    description:
      "Pages through list-broadcasts (60 a page) from --page-no (default 1) until the list ends, printing each\n" +
      "broadcast as one line of JSON as it arrives; page progress goes to stderr when it is a terminal.",
    flags,
    operation: "listBroadcasts",
    async run(ctx) {
      const issues: Issue[] = [];
      const init = buildInit(meta, flags, ctx.values, undefined, issues);
      if (issues.length) throw new ValidationError(provider.name, "listBroadcasts", issues);
      const client = (await ctx.client()) as unknown as { listAllBroadcasts(query: object): AsyncIterable<unknown> };
      let count = 0;
      // Progress is a line that rewrites itself (\r, then erase to the end: ESC [K). When stdout is the same
      // terminal, it is erased before each broadcast is printed, so no JSON line starts after it.
      const progress = ctx.io.stderr.isTTY;
      let shown = false;
      if (progress) {
        ctx.onRequest((request) => {
          const page = new URL(request.url).searchParams.get("page_no");
          ctx.io.stderr.write(`\r\x1b[Kpage ${page ?? "?"}, ${count} broadcasts so far`);
          shown = true;
        });
      }
      try {
        for await (const item of client.listAllBroadcasts(init.params?.query ?? {})) {
          count++;
          if (shown && ctx.io.stdout.isTTY) {
            ctx.io.stderr.write("\r\x1b[K");
            shown = false;
          }
          printJson(ctx.io, ctx.redactor, item, docs?.secretFields, true);
        }
      } finally {
        if (progress) ctx.io.stderr.write(`\r\x1b[K${count} broadcasts\n`);
      }
      return 0;
    },
  };
}
