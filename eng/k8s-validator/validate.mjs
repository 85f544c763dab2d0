// Validates Kubernetes manifests (multi-document YAML files) offline, as kubeconform -strict would:
//  1. schema: every document goes through kubernetes-models' validator for its apiVersion/kind, which is ajv code
//     compiled from the Kubernetes v1.36 OpenAPI schemas (types, required fields, enums, int32/int64 formats);
//  2. unknown fields: the OpenAPI schemas do not forbid extra properties (the API server drops or rejects them
//     later), so each document is also type-checked as an object literal against the same package's TypeScript
//     interface, where any property the API does not define is an excess-property error.
// A document whose apiVersion/kind has no schema is an error, not a skip.
// Usage: node validate.mjs FILE.yaml...   Prints one line per document; exits 1 if any is invalid.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

// The Prometheus Operator's kinds (PodMonitor, ServiceMonitor) come from their own package of the same project.
function modulePath(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const within = slash < 0 ? `v1/${kind}` : `${apiVersion}/${kind}`;
  return apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${within}`
    : `kubernetes-models/${within}`;
}

function describe(file, doc) {
  const name = doc?.metadata?.name ?? "(no name)";
  return `${file}: ${doc?.apiVersion}/${doc?.kind} ${name}`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

const documents = [];
let failures = 0;
for (const file of files) {
  for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (parsed.errors.length > 0) {
      console.log(`INVALID ${file}: YAML: ${parsed.errors[0].message}`);
      failures++;
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) {
      continue;
    }
    if (typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") {
      console.log(`INVALID ${file}: a document without apiVersion and kind`);
      failures++;
      continue;
    }
    documents.push({ file, doc });
  }
}

// 1. The compiled OpenAPI schemas.
for (const entry of documents) {
  const path = modulePath(entry.doc.apiVersion, entry.doc.kind);
  let model;
  try {
    model = (await import(path))[entry.doc.kind];
  } catch {
    model = undefined;
  }
  if (typeof model !== "function") {
    console.log(`INVALID ${describe(entry.file, entry.doc)}: no schema for ${entry.doc.apiVersion}/${entry.doc.kind}`);
    entry.failed = true;
    failures++;
    continue;
  }
  entry.path = path;
  try {
    new model(entry.doc).validate();
  } catch (error) {
    const details = (error.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
    console.log(`INVALID ${describe(entry.file, entry.doc)}: ${details.join("; ") || error.message}`);
    entry.failed = true;
    failures++;
  }
}

// 2. Unknown fields, by the TypeScript compiler's excess-property check on fresh object literals.
const checked = documents.filter((entry) => entry.path !== undefined);
const chunks = [];
const starts = [];
let nextLine = 0;
function append(text) {
  chunks.push(text);
  nextLine += text.split("\n").length;
}
checked.forEach((entry, index) => {
  append(`import type { I${entry.doc.kind} as T${index} } from "${entry.path}";`);
});
checked.forEach((entry, index) => {
  starts.push(nextLine);
  append(`export const doc${index}: T${index} = ${JSON.stringify(entry.doc, null, 1)};`);
});
const source = chunks.join("\n");
const checkFile = join(here, "__manifests__.ts");
const options = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
};
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
const getSourceFile = host.getSourceFile.bind(host);
host.readFile = (name) => (name === checkFile ? source : readFile(name));
host.fileExists = (name) => name === checkFile || fileExists(name);
host.getSourceFile = (name, language, onError, create) =>
  name === checkFile ? ts.createSourceFile(name, source, language, true) : getSourceFile(name, language, onError, create);
const program = ts.createProgram([checkFile], options, host);
const diagnostics = ts.getPreEmitDiagnostics(program);
for (const diagnostic of diagnostics) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  if (diagnostic.file?.fileName !== checkFile || diagnostic.start === undefined) {
    console.log(`INVALID (type check setup): ${message}`);
    failures++;
    continue;
  }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  let index = starts.length - 1;
  while (index > 0 && starts[index] > line) {
    index--;
  }
  const entry = checked[index];
  console.log(`INVALID ${describe(entry.file, entry.doc)}: ${message}`);
  entry.failed = true;
  failures++;
}

for (const entry of documents) {
  if (!entry.failed) {
    console.log(`valid ${describe(entry.file, entry.doc)}`);
  }
}
console.log(`${documents.length} documents, ${failures} problems`);
process.exit(failures === 0 ? 0 : 1);
