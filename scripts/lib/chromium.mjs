// Debian's chromium, as every browser test and script here launches it: headless, and with the background
// services off (this machine's closed network refuses their connections, many at a time).
import { chromium } from "playwright-core";

export const CHROMIUM_OPTIONS = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
};

export function launchChromium() {
  return chromium.launch(CHROMIUM_OPTIONS);
}
