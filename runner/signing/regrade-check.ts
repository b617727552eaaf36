import type { KeyObject } from 'node:crypto';
import type Docker from 'dockerode';
import type { ChallengeCatalog } from '../contract/challenge-catalog';
import { gradeReportSchema, type GradeReport, type ReportProvenance } from '../contract/grade-result.schema';
import { AppError } from '../contract/app-error';
import { challengeFingerprint, imageIdOf, stackgradeVersion } from '../grading/provenance';
import { verifyReport, type SignatureCheck } from './report-signature';

/** One container image of the report and whether this engine has it (null: Docker did not answer). */
export interface ImageCheck {
  role: string;
  image: string;
  image_id: string | null;
  present: boolean | null;
}

/** What `stackgrade report verify` finds: the signature, and what a regrade here would need. */
export interface RegradeCheck {
  signature: SignatureCheck;
  /** Null when the report records no provenance (made before it was recorded). */
  provenance: ReportProvenance | null;
  images: ImageCheck[];
  challenge: {
    /** The local catalog has a challenge with the report's id. */
    found: boolean;
    local_version: number | null;
    version_matches: boolean;
    hidden_tests_match: boolean;
    manifest_matches: boolean;
  } | null;
  stackgrade: { report: string; local: string; matches: boolean } | null;
  /** The command that regrades the same solution identically (null when no pod ran). */
  regrade_command: string | null;
  /** Everything needed is here: same Stackgrade, challenge and hashes, every image present. */
  reproducible: boolean;
  /** What is missing or different, one sentence each (empty when reproducible). */
  needs: string[];
}

/**
 * Reads a report from JSON text: a report itself, or an API submission view (`{ report: {…} }`). Throws
 * AppError VALIDATION_FAILED when it is neither.
 */
export function parseReportJson(text: string): GradeReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new AppError('VALIDATION_FAILED', 'the file is not JSON', { cause });
  }
  const inner =
    doc && typeof doc === 'object' && !('tests' in doc) && 'report' in doc
      ? (doc as { report: unknown }).report
      : doc;
  const parsed = gradeReportSchema.safeParse(inner);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'the file is not a Stackgrade report (or a submission with one)');
  // The signature covers the document as written, not zod's output (which may drop or reorder members).
  return inner as GradeReport;
}

/**
 * Checks a report's signature against `publicKeys` and compares its provenance with this installation:
 * the Stackgrade version, the challenge in `catalog` (version, hidden-tests and manifest hashes) and each
 * recorded image id in the Docker engine (`docker` null or unreachable: presence unknown).
 */
export async function checkRegrade(
  report: GradeReport,
  o: { publicKeys: readonly KeyObject[]; catalog: ChallengeCatalog | null; docker: Docker | null },
): Promise<RegradeCheck> {
  const signature = verifyReport(report, o.publicKeys);
  const p = report.provenance ?? null;
  const needs: string[] = [];
  if (!p) {
    return {
      signature,
      provenance: null,
      images: [],
      challenge: null,
      stackgrade: null,
      regrade_command: null,
      reproducible: false,
      needs: ['the report records no provenance (made by a Stackgrade before provenance was recorded)'],
    };
  }
  const local = await stackgradeVersion();
  const stackgrade = { report: p.stackgrade_version, local, matches: local === p.stackgrade_version };
  if (!stackgrade.matches) needs.push(`Stackgrade ${p.stackgrade_version} (this is ${local})`);

  const mine = o.catalog?.get(p.challenge.id) ?? null;
  let challenge: RegradeCheck['challenge'];
  if (!mine) {
    challenge = {
      found: false,
      local_version: null,
      version_matches: false,
      hidden_tests_match: false,
      manifest_matches: false,
    };
    needs.push(`challenge ${p.challenge.id} v${p.challenge.version}, which is not in the local catalog`);
  } else {
    const f = await challengeFingerprint(mine);
    challenge = {
      found: true,
      local_version: f.version,
      version_matches: f.version === p.challenge.version,
      hidden_tests_match: f.hidden_tests_sha256 === p.challenge.hidden_tests_sha256,
      manifest_matches: f.manifest_sha256 === p.challenge.manifest_sha256,
    };
    if (!challenge.version_matches)
      needs.push(`challenge ${p.challenge.id} v${p.challenge.version} (here v${f.version})`);
    if (!challenge.hidden_tests_match)
      needs.push(
        `the hidden tests of ${p.challenge.id} with SHA-256 ${p.challenge.hidden_tests_sha256} (here ${f.hidden_tests_sha256})`,
      );
    if (!challenge.manifest_matches)
      needs.push(
        `the challenge.yaml of ${p.challenge.id} with SHA-256 ${p.challenge.manifest_sha256} (here ${f.manifest_sha256})`,
      );
  }

  let dockerUp = o.docker !== null;
  if (o.docker) await o.docker.ping().catch(() => (dockerUp = false));
  const images: ImageCheck[] = [];
  for (const c of p.containers) {
    const present = !dockerUp || !c.image_id ? null : (await imageIdOf(o.docker!, c.image_id)) === c.image_id;
    images.push({ role: c.role, image: c.image, image_id: c.image_id, present });
    if (present === false) needs.push(`image ${c.image_id} (${c.role}, built as ${c.image})`);
  }
  if (!dockerUp && p.containers.length) needs.push('a Docker engine to look the images up in');
  if (p.containers.length === 0) needs.push('nothing ran in a pod: the report is a setup failure');
  const regrade_command =
    p.grader_seed === null
      ? null
      : `stackgrade grade <challenge-dir> <solution-dir>${report.runtime ? ` --runtime ${report.runtime.id}` : ''} --seed ${p.grader_seed}`;
  return {
    signature,
    provenance: p,
    images,
    challenge,
    stackgrade,
    regrade_command,
    reproducible: needs.length === 0,
    needs,
  };
}

/** A {@link RegradeCheck} as text for a terminal. */
export function formatRegradeCheck(r: RegradeCheck, file: string): string {
  const lines: string[] = [];
  const s = r.signature;
  lines.push(
    s.ok
      ? `${file}: signature VALID (key ${s.keyId})`
      : `${file}: signature NOT VALID (${s.problem}): ${s.detail}`,
  );
  const p = r.provenance;
  if (p) {
    lines.push(
      `  graded ${p.graded_at} by Stackgrade ${p.stackgrade_version} (here ${r.stackgrade?.local}) on Node.js ${p.node_version}`,
    );
    const c = r.challenge;
    lines.push(
      `  challenge ${p.challenge.id} v${p.challenge.version}: ${
        c?.found
          ? `here v${c.local_version}; hidden tests ${c.hidden_tests_match ? 'identical' : 'DIFFERENT'}; manifest ${c.manifest_matches ? 'identical' : 'DIFFERENT'}`
          : 'NOT in the local catalog'
      }`,
    );
    lines.push(
      `  grader seed ${p.grader_seed ?? 'none (no pod ran)'}; solution files SHA-256 ${p.solution_sha256}`,
    );
    lines.push(
      `  runtimes: ${Object.entries(p.runtime_versions)
        .map(([id, v]) => `${id} ${v}`)
        .join(', ')}`,
    );
    if (r.images.length) lines.push('  images:');
    for (const i of r.images)
      lines.push(
        `    ${i.present === true ? '✓' : i.present === false ? '✗' : '?'} ${i.role.padEnd(16)} ${i.image_id ?? 'unknown id'}  ${
          i.present === true ? 'present' : i.present === false ? 'MISSING' : 'unknown'
        }  (${i.image})`,
      );
  }
  if (r.reproducible) {
    lines.push('  Everything needed to regrade it identically is here (with the same solution files):');
    if (r.regrade_command) lines.push(`    ${r.regrade_command}`);
  } else {
    lines.push('  To regrade it identically, this installation needs:');
    for (const n of r.needs) lines.push(`    - ${n}`);
  }
  return lines.join('\n');
}
