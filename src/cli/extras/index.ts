// The commands that are not one operation each, by provider. Everything else comes from the specs.
import type { Command, Provider } from "../commands.js";
import { polyvExtras } from "./polyv.js";
import { soopExtras } from "./soop.js";

const EXTRAS: Readonly<Record<string, (provider: Provider) => Command[]>> = {
  soop: soopExtras,
  polyv: polyvExtras,
};

export function extrasFor(provider: Provider): Command[] {
  return EXTRAS[provider.name]?.(provider) ?? [];
}
