// Validates an OpenAPI document (a file path) against the official OpenAPI
// JSON schema of its version. Prints "valid" or the errors; exit code 0/1.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node check.mjs openapi.json");
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(file, "utf8")));
if (result.valid) {
  console.log(`valid OpenAPI ${validator.version}`);
  process.exit(0);
}
console.log(JSON.stringify(result.errors, null, 2));
process.exit(1);
