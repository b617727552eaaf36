import fs from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { loadRunnerConfig } from '../config';
import { ChallengeCatalog } from '../contract/challenge-catalog';
import { createDocker } from '../sandbox/docker';
import { checkRegrade, formatRegradeCheck, parseReportJson } from '../signing/regrade-check';
import { installationPublicKey, readPublicKeys } from '../signing/signing-key';

/** Options of {@link reportVerify}. */
export interface ReportVerifyOptions {
  /** The report (or API submission view) JSON file. */
  file: string;
  /** Trusted keys (PEM or the JSON of GET /v1/signing-key); default this installation's key. */
  publicKeyFile?: string;
  /** Challenge catalog to compare with; default CHALLENGES_DIR or the repository's challenges/. */
  challengesDir?: string;
  json?: boolean;
}

/**
 * `stackgrade report verify`: checks the report's signature (with `--public-key`, else the installation's own
 * key under STACKGRADE_HOME, never generating one) and prints what a regrade here would need (see
 * checkRegrade). Returns the exit code: 0 when the signature is valid, 1 when not.
 */
export async function reportVerify(o: ReportVerifyOptions): Promise<number> {
  const report = parseReportJson(await fs.readFile(o.file, 'utf8'));
  const config = loadRunnerConfig();
  let keys: KeyObject[];
  if (o.publicKeyFile) keys = await readPublicKeys(o.publicKeyFile);
  else {
    const own = await installationPublicKey(config);
    keys = own ? [own] : [];
  }
  const catalog = await ChallengeCatalog.load(o.challengesDir ?? config.CHALLENGES_DIR).catch(() => null);
  const result = await checkRegrade(report, { publicKeys: keys, catalog, docker: createDocker() });
  console.log(o.json ? JSON.stringify(result, null, 2) : formatRegradeCheck(result, o.file));
  return result.signature.ok ? 0 : 1;
}
