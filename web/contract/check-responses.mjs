// Checks answers the server gave against docs/openapi.yaml: each one's path and method must be in
// the spec, its status listed for that operation (no `default`), its media type listed for that
// status, and a JSON body valid against that schema (ajv; additionalProperties: false in the
// spec makes a field the server adds without the spec an error). An answer without a declared
// body must have none.
//
// Usage: node check-responses.mjs [--spec docs/openapi.yaml] (--run BINARY [ARGS...])... | FILE...
//   --run: runs each BINARY (a test binary driving the server's API) in turn with
//   TAKEDOWN_API_RECORD naming a fresh file, so that every answer its tests receive is recorded
//   (tests/response_recorder.h), then checks them all; a binary's own failure fails the check.
//   FILE: lines already recorded.
// Prints the count checked per operation and every mismatch; exit 1 on any, or on none recorded.
import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

let specPath = fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));
const args = process.argv.slice(2);
if (args[0] === "--spec") {
  specPath = args[1];
  args.splice(0, 2);
}

// The recorded lines: from the files named, or from runs of the binaries.
function recorded() {
  if (args[0] !== "--run") return args.flatMap((file) => lines(readFileSync(file, "utf8")));
  const runs = [];  // [binary, ...its arguments]
  for (const arg of args) {
    if (arg === "--run") runs.push([]);
    else runs[runs.length - 1].push(arg);
  }
  const dir = mkdtempSync(join(tmpdir(), "takedown-api-record-"));
  const file = join(dir, "responses.jsonl");
  try {
    for (const [binary, ...rest] of runs) {
      const run = spawnSync(binary, rest, {
        env: { ...process.env, TAKEDOWN_API_RECORD: file },
        stdio: ["ignore", "inherit", "inherit"],
      });
      if (run.status !== 0) {
        console.error(`${binary} failed (${run.error ?? `exit ${run.status}, signal ${run.signal}`})`);
        process.exit(1);
      }
    }
    return existsSync(file) ? lines(readFileSync(file, "utf8")) : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lines(text) {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

const api = await SwaggerParser.dereference(specPath);
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addVocabulary(["example"]);  // OpenAPI's annotation; nullable is Ajv's own

// Path templates as expressions, the literal ones first ("/api/v1/stats/overview" before any
// "{id}" that could take "overview").
const templates = Object.keys(api.paths)
  .map((template) => ({
    template,
    pattern: new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "$"),
  }))
  .sort((a, b) => a.template.includes("{") - b.template.includes("{"));

// Every JSON schema of every answer compiled up front, so that the spec is checked whole (ajv's
// strict mode) whatever the tests reach.
const validators = new Map();
for (const [template, item] of Object.entries(api.paths)) {
  for (const [method, op] of Object.entries(item)) {
    for (const [status, response] of Object.entries(op.responses)) {
      const schema = response.content?.["application/json"]?.schema;
      if (schema) validators.set(`${method.toUpperCase()} ${template} ${status}`, ajv.compile(schema));
    }
  }
}
const validateError = ajv.compile(api.components.schemas.Error);
function errorValid(text) {
  try {
    return validateError(JSON.parse(text));
  } catch {
    return false;
  }
}

// The mismatches of one recorded answer, and the operation it belongs to.
function check(answer) {
  const found = templates.find(({ pattern }) => pattern.test(answer.path));
  if (!found) {
    // An address the server does not serve: only its 404 (error_code http, as info says).
    const operation = `${answer.method} ${answer.path} (not served)`;
    const notServed = answer.status === 404 && errorValid(answer.body) && JSON.parse(answer.body).error_code === "http";
    return { operation, kind: "json", errors: notServed ? [] : [`the path is not in the spec (status ${answer.status})`] };
  }
  const operation = `${answer.method} ${found.template}`;
  const op = api.paths[found.template][answer.method.toLowerCase()];
  if (!op) return { operation, errors: ["the method is not in the spec for this path"] };
  const response = op.responses[String(answer.status)];
  if (!response) return { operation, errors: [`status ${answer.status} is not in the spec`] };
  const type = (answer.content_type ?? "").split(";")[0].trim().toLowerCase();
  const hasBody = answer.body !== undefined ? answer.body !== "" : answer.body_bytes > 0;
  if (!response.content) {
    return { operation, kind: "empty", errors: hasBody ? [`status ${answer.status} has no body in the spec, got ${type}`] : [] };
  }
  const media = response.content[type];
  if (!media) {
    return { operation, errors: [`status ${answer.status}: "${type}" is not in the spec (${Object.keys(response.content)})`] };
  }
  if (type !== "application/json") return { operation, kind: "other", errors: [] };
  let body;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return { operation, errors: ["the body is not JSON"] };
  }
  const validate = validators.get(`${operation} ${answer.status}`);
  if (validate(body)) return { operation, kind: "json", errors: [] };
  return {
    operation,
    kind: "json",
    errors: validate.errors.map((e) => `status ${answer.status}: body${e.instancePath} ${e.message}` +
                                       (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : "")),
  };
}

const answers = recorded();
const counts = new Map();
const failures = new Map();  // message -> count
const kinds = { json: 0, empty: 0, other: 0 };  // answers by what was checked
let failed = 0;
for (const answer of answers) {
  const { operation, kind, errors } = check(answer);
  counts.set(operation, (counts.get(operation) ?? 0) + 1);
  if (kind) ++kinds[kind];
  if (errors.length > 0) ++failed;
  for (const error of errors) {
    const key = `${operation}: ${error}`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
  }
}

for (const [operation, n] of [...counts].sort()) console.log(`${String(n).padStart(5)}  ${operation}`);
for (const [message, n] of failures) console.error(`MISMATCH (${n}x) ${message}`);
const specified = Object.entries(api.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
const unexercised = specified.filter((operation) => !counts.has(operation));
console.log(`${answers.length - failed} of ${answers.length} answers valid against ${specPath} ` +
            `(${kinds.json} JSON bodies checked against their schema, ${kinds.empty} without a body, ` +
            `${kinds.other} of another media type); ` +
            `${specified.length - unexercised.length} of its ${specified.length} operations exercised ` +
            `(not: ${unexercised.join(", ") || "none"})`);
if (answers.length === 0 || failed > 0) process.exit(1);
