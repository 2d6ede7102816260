// Validate Kubernetes manifests (YAML, several documents per file) against
// the API schemas of the kubernetes-models packages: each document's
// apiVersion and kind pick the model, whose validate() checks types,
// required fields and formats. Unknown apiVersion/kind is an error too.
// Usage: node validate-k8s.mjs NPM_DIR FILE...  (exit 0: all valid)
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [npmDir, ...files] = process.argv.slice(2);
const mods = join(npmDir, "node_modules");
const yaml = (await import(pathToFileURL(join(mods, "js-yaml/index.js")))).default;
let bad = 0;

async function validate(doc, where) {
	if (!doc || typeof doc.apiVersion !== "string" || typeof doc.kind !== "string")
		throw new Error("no apiVersion and kind");
	// 4.x ships ES modules as .mjs beside CommonJS .js; 5.x only .js modules.
	const base = join(mods, "kubernetes-models", doc.apiVersion, doc.kind);
	const file = existsSync(`${base}.mjs`) ? `${base}.mjs` : `${base}.js`;
	if (!/^[A-Za-z0-9.\/]+$/.test(doc.apiVersion) || !/^[A-Za-z]+$/.test(doc.kind) ||
	    !existsSync(file))
		throw new Error(`unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
	const Model = (await import(pathToFileURL(file)))[doc.kind];
	new Model(doc).validate();
	return `${where}: ${doc.kind} ${doc.metadata?.name ?? "(unnamed)"} valid`;
}

for (const f of files) {
	let docs;
	try {
		docs = yaml.loadAll(readFileSync(f, "utf8"));
	} catch (e) {
		console.error(`${f}: not YAML: ${e.message.split("\n")[0]}`);
		bad++;
		continue;
	}
	for (const [i, doc] of docs.entries()) {
		if (doc === null || doc === undefined) continue;
		try {
			console.log(await validate(doc, `${f}[${i}]`));
		} catch (e) {
			console.error(`${f}[${i}]: ${String(e.message).slice(0, 500)}`);
			bad++;
		}
	}
}
process.exit(bad ? 1 : 0);
