// Runs one measurement module in a fresh process: `node bench/lib/child.mjs <module> '<json args>'` imports
// bench/lib/<module>.mjs, calls its run(args) and writes the JSON result as the last line of stdout.
const [name, json = "{}"] = process.argv.slice(2);
const mod = await import(new URL(`./${name}.mjs`, import.meta.url).href);
const result = await mod.run(JSON.parse(json));
process.stdout.write(`${JSON.stringify(result)}\n`);
