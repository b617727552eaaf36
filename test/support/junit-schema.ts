/** Validation of JUnit XML against the schema in test/fixtures/junit/junit.xsd with xmllint (WebAssembly). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

/** The JUnit XSD the exports are checked against (see its header comment for its sources). */
export const JUNIT_XSD = path.resolve(__dirname, '..', 'fixtures', 'junit', 'junit.xsd');

/** Validates `xml` against {@link JUNIT_XSD}: `valid`, and xmllint's messages when it is not. */
export async function validateJunit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const schema = await fs.readFile(JUNIT_XSD, 'utf8');
  const r = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: schema }],
  });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}
