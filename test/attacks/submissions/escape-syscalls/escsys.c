// Escape syscalls (docs/sandbox.md, "Seccomp"): calls each syscall a container escape or a covert channel
// starts with, and prints one JSON object `{"name": "ok" | "<errno name>"}`. Compiled by the attack suite.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int first = 1;
static void rep(const char *name, long r) {
  printf("%s\"%s\":\"%s\"", first ? "{" : ",", name, r < 0 ? strerrorname_np(errno) : "ok");
  first = 0;
  errno = 0;
}
static int child(void *arg) { (void)arg; return 0; }
static char stack[1 << 16];
static char buf[4096];

int main(void) {
  long pid;
  // A size below CLONE_ARGS_SIZE_VER0 (64): EINVAL where clone3 runs, ENOSYS where it is filtered; no child.
  rep("clone3", syscall(435, buf, 8));
  rep("unshareUser", syscall(SYS_unshare, CLONE_NEWUSER));
  rep("unshareMount", syscall(SYS_unshare, CLONE_NEWNS));
  rep("unshareNet", syscall(SYS_unshare, CLONE_NEWNET));
  rep("cloneUser", clone(child, stack + sizeof stack, CLONE_NEWUSER | SIGCHLD, NULL));
  pid = clone(child, stack + sizeof stack, SIGCHLD, NULL);
  rep("clonePlain", pid);
  if (pid > 0) waitpid(pid, NULL, 0);
  rep("setns", syscall(SYS_setns, 0, 0));
  rep("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
  rep("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0));
  rep("addKey", syscall(SYS_add_key, "user", "sg", "x", 1, -3));
  rep("bpf", syscall(SYS_bpf, 0, buf, 48));
  rep("perfEventOpen", syscall(SYS_perf_event_open, buf, 0, -1, -1, 0));
  rep("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
  rep("ioUringSetup", syscall(425, 1, buf));
  rep("openByHandleAt", syscall(SYS_open_by_handle_at, -100, buf, 0));
  rep("userfaultfd", syscall(SYS_userfaultfd, 0));
  rep("socketAlg", socket(38, SOCK_SEQPACKET, 0));
  rep("socketVsock", socket(40, SOCK_STREAM, 0));
  rep("socketInet", socket(AF_INET, SOCK_STREAM, 0));
  struct timespec ts = {0, 0};
  rep("clockSettime", clock_settime(CLOCK_REALTIME, &ts));
  printf("}\n");
  return 0;
}
