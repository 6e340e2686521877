// Validates docs/openapi.yaml with swagger-parser (the OpenAPI 3.0 schema and its own rules:
// every $ref resolves, parameters and responses are well formed). Prints each error; exit 1 on any.
// Usage: node web/contract/check-spec.mjs [spec]
import SwaggerParser from "@apidevtools/swagger-parser";
import { fileURLToPath } from "node:url";

const spec = process.argv[2] ?? fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));
try {
  const api = await SwaggerParser.validate(spec);
  const operations = Object.values(api.paths).flatMap((item) => Object.keys(item));
  console.log(`${spec}: valid (OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ` +
              `${operations.length} operations), 0 validation errors`);
} catch (error) {
  console.error(`${spec}: ${error.message}`);
  for (const detail of error.details ?? []) console.error(JSON.stringify(detail));
  process.exit(1);
}
