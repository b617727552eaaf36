import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './base-image';

/** The Go release baked into the `go` sandbox image. */
export const GO_VERSION = '1.25.14';
/** Module version of that release in the Go module proxy (module golang.org/toolchain, linux/amd64). */
const TOOLCHAIN_MODULE = `golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-amd64`;
/** go.sum hash (`h1:`, dirhash of the module zip) of {@link TOOLCHAIN_MODULE}, pinned. */
const TOOLCHAIN_SUM = 'h1:XriDgll2yv4W2YeUo2X/WuUuy+iGJkXGH0CQloMBEXo=';

/**
 * Fetches the official Go toolchain as a module (`go mod download`, through `GOPROXY`) into `cacheDir`
 * once and returns the path of its zip. The host's `go` command (needed anyway, scripts/setup-host.sh)
 * checks it against the checksum database; its hash must also equal the pinned {@link TOOLCHAIN_SUM}.
 * Throws when the download fails or the hash differs.
 */
export async function goToolchainZip(cacheDir: string): Promise<string> {
  await fs.mkdir(cacheDir, { recursive: true });
  const out = await run('env', [
    `GOMODCACHE=${cacheDir}`,
    'GOFLAGS=-mod=mod',
    'go',
    'mod',
    'download',
    '-json',
    TOOLCHAIN_MODULE,
  ]);
  const info = JSON.parse(out.slice(out.indexOf('{'))) as { Zip?: string; Sum?: string; Error?: string };
  if (info.Error || !info.Zip) throw new Error(`go mod download ${TOOLCHAIN_MODULE}: ${info.Error ?? out}`);
  if (info.Sum !== TOOLCHAIN_SUM)
    throw new Error(`${TOOLCHAIN_MODULE} has hash ${info.Sum}, expected the pinned ${TOOLCHAIN_SUM}`);
  return path.join(info.Zip);
}
