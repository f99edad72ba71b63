// Validates Kubernetes objects offline against the Kubernetes schemas (npm package kubernetes-models).
// Reads multi-document YAML on stdin (e.g. `kubectl kustomize deploy/kubernetes | node deploy/validate/validate.mjs`),
// prints every schema error with the object's kind/name, exits 1 on any error, unknown kind or unparsable YAML.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

let errors = 0;
let checked = 0;
const fail = (what, message) => {
  errors++;
  console.error(`${what}: ${message}`);
};

// apiVersion "apps/v1" -> "apps/v1", core "v1" -> "v1"; the package's folders follow the API group names.
const modulePath = (apiVersion, kind) => `kubernetes-models/${apiVersion}/${kind}`;

for (const [index, doc] of parseAllDocuments(input).entries()) {
  if (doc.errors.length > 0) {
    for (const e of doc.errors) fail(`document ${index + 1}`, `YAML: ${e.message}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue; // empty document (a trailing "---")
  const kind = obj?.kind;
  const apiVersion = obj?.apiVersion;
  const what = `${kind ?? "?"}/${obj?.metadata?.name ?? "?"} (document ${index + 1})`;
  if (typeof kind !== "string" || typeof apiVersion !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) {
    fail(what, "no usable apiVersion/kind");
    continue;
  }

  let Model;
  try {
    Model = (await import(modulePath(apiVersion, kind)))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    fail(what, `unknown kind ${apiVersion}/${kind} (no schema in kubernetes-models)`);
    continue;
  }

  try {
    new Model(obj).validate();
    checked++;
  } catch (e) {
    const details = Array.isArray(e?.errors) && e.errors.length > 0
      ? e.errors.map((d) => `${d.instancePath || "/"} ${d.message}${d.params ? " " + JSON.stringify(d.params) : ""}`)
      : [String(e?.message ?? e)];
    for (const d of details) fail(what, d);
  }
}

if (errors > 0) {
  console.error(`kubernetes schema validation: ${errors} error(s)`);
  process.exit(1);
}
if (checked === 0) {
  console.error("kubernetes schema validation: no objects on stdin");
  process.exit(1);
}
console.log(`kubernetes schema validation: ${checked} object(s) valid`);
