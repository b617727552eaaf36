import path from 'node:path';
import { build } from 'esbuild';
import { AppError } from '../contract/app-error';

/**
 * Bundles a challenge's hidden tests (`hidden-tests/index.ts`, which imports the grader SDK from
 * `grader/`) into one CommonJS file for Node 22 at `outFile`. `pg-native` stays external (pg's optional
 * native binding, never used). Throws AppError IMAGE_BUILD_FAILED on a compile error.
 */
export async function bundleGrader(challengeDir: string, outFile: string): Promise<void> {
  try {
    await build({
      entryPoints: [path.join(challengeDir, 'hidden-tests', 'index.ts')],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: 'inline',
      legalComments: 'none',
      external: ['pg-native'],
      logLevel: 'silent',
    });
  } catch (err) {
    throw new AppError(
      'IMAGE_BUILD_FAILED',
      `bundling the grader of ${challengeDir} failed: ${String(err)}`,
      { cause: err },
    );
  }
}
