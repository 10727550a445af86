// `streamspec polyv verify-custom-auth`: checks a custom-authorization callback Polyv made to your customUri
// (verifyPolyvCustomAuth), with the channel's secretKey from the environment. Exit 0 valid, 1 not.
import { ConfigError } from "../../core/errors.js";
import type { Command, Provider } from "../commands.js";
import type { Flag } from "../flags.js";
import { printJson } from "../output.js";
import { UsageError } from "../usage.js";

/** The channel's secretKey (from updateChannelOauthCustom's answer): a secret, so never a flag. */
const SECRET_VARIABLE = "POLYV_SECRET_KEY";

const flag = (name: string, schema: Flag["schema"], required: boolean, description: string): Flag => ({
  name,
  location: "option",
  key: name,
  schema,
  required,
  docs: { description },
});

export function polyvExtras(provider: Provider): Command[] {
  const flags = [
    flag("id", { type: "string", minLength: 1 }, true, "The channelId Polyv sent as `id`."),
    flag("ts", { type: "string", pattern: "^[0-9]{1,16}$" }, true, "Polyv's `ts`, in milliseconds."),
    flag("sign", { type: "string", minLength: 1 }, true, "Polyv's `sign` (hex, any letter case): md5(secretKey + id + secretKey + ts)."),
    flag("max-skew-ms", { type: "integer", minimum: 0 }, false, "How far `ts` may be from now, either way (default 180000: 3 minutes)."),
  ];
  return [
    {
      name: "verify-custom-auth",
      summary: `Check a custom-authorization callback's sign (secret key from ${SECRET_VARIABLE}); exit 0 when valid, 1 when not`,
      description:
        `Polyv calls your customUri with id (the channelId), ts and sign when a viewer opens the channel. This checks\n` +
        `sign == md5(secretKey + id + secretKey + ts) in constant time and rejects a stale ts. The channel's secretKey\n` +
        `(from update-channel-oauth-custom's answer) is read from ${SECRET_VARIABLE}. Prints {"valid": true|false}.`,
      flags,
      async run(ctx) {
        for (const f of flags) if (f.required && (ctx.values[f.name] === undefined || ctx.values[f.name] === "")) throw new UsageError(`--${f.name} is required`);
        const secretKey = ctx.env[SECRET_VARIABLE];
        if (!secretKey) throw new ConfigError(provider.name, "secretKey", `is required: set ${SECRET_VARIABLE} to the channel's secretKey`);
        ctx.redactor.add(secretKey);
        const skew = ctx.values["max-skew-ms"] as string | undefined;
        if (skew !== undefined && !/^\d+$/.test(skew)) throw new UsageError("--max-skew-ms must be a whole number of milliseconds");
        const verify = (await provider.module()).verifyPolyvCustomAuth as (p: object, o: object) => boolean;
        const valid = verify(
          { secretKey, id: ctx.values.id, ts: ctx.values.ts, sign: ctx.values.sign },
          skew === undefined ? {} : { maxSkewMs: Number(skew) },
        );
        printJson(ctx.io, ctx.redactor, { valid });
        return valid ? 0 : 1;
      },
    },
  ];
}
