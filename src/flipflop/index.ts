// FlipFlop (Jocoos) server-side App Member API: HTTP Basic with the app's apiKey:apiSecret on every call.
import type { operations as Operations, paths as Paths } from "../../generated/flipflop.js";
import { info, operations, provider } from "../../generated/flipflop.operations.js";
import { validators } from "../../generated/flipflop.validators.js";
import { basicAuth, basicAuthFinish, basicCredentials } from "../core/auth.js";
import { createProviderClient, type ProviderClient } from "../core/client.js";
import type { CommonOptions } from "../core/options.js";
import { requireString } from "../core/options.js";
import { Redactor } from "../core/redact.js";
import { flipflopFailure } from "./errors.js";

export interface FlipFlopOptions extends CommonOptions {
  /** The app's API key (Basic user name). */
  apiKey: string;
  /** The app's API secret (Basic password). Never logged or shown in errors. */
  apiSecret: string;
}

export type FlipFlopClient = ProviderClient<Paths, Operations, keyof typeof operations>;

export function createFlipFlopClient(options: FlipFlopOptions): FlipFlopClient {
  const apiKey = requireString(provider, "apiKey", options?.apiKey);
  const apiSecret = requireString(provider, "apiSecret", options?.apiSecret);
  const redactor = new Redactor().add(apiSecret, basicCredentials(apiKey, apiSecret));
  return createProviderClient<Paths, Operations, keyof typeof operations>(
    { provider, operations, validators, defaultBaseUrl: info.servers[0] },
    options,
    { redactor, middleware: [basicAuth(operations, apiKey, apiSecret)], finish: basicAuthFinish(apiKey, apiSecret), failure: flipflopFailure },
  );
}

export { info, operations };
export type { Paths as FlipFlopPaths, Operations as FlipFlopOperations };
