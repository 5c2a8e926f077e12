/**
 * Read and parse a JSON file, turning failures into the caller's error type.
 *
 * @module
 */

/**
 * Read `path` and parse it as JSON.
 *
 * @param path File path.
 * @param fail Builds the error to throw from a problem description.
 * @returns The parsed JSON.
 * @throws Whatever `fail` returns, when the file cannot be read or parsed.
 */
export async function readJsonFile(
  path: string,
  fail: (problem: string) => Error,
): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw fail(`cannot be read: ${error instanceof Error ? error.message : error}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON: ${error instanceof Error ? error.message : error}`);
  }
}
