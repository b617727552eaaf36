import fs from 'node:fs';
import path from 'node:path';

/**
 * The seccomp profile of the candidate's (and the reference solution's) service container, as the JSON text
 * Docker takes in `SecurityOpt: ['seccomp=<json>']`. Docker 20.10.24's default profile for a container with
 * no capabilities, made enforceable under gVisor (`runsc --oci-seccomp`, runtime `runsc-seccomp`): clone3
 * fails with ENOSYS through SCMP_ACT_TRACE (gVisor release-20221219 ignores `errnoRet`), ptrace, io_uring,
 * AF_ALG and AF_VSOCK sockets are refused. Every rule and its source: README.md next to the JSON file.
 */
export const CANDIDATE_SECCOMP_PROFILE: string = JSON.stringify(
  JSON.parse(fs.readFileSync(path.join(__dirname, 'candidate-profile.json'), 'utf8')),
);
