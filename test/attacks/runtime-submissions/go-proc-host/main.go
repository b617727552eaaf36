// Looks for the host through /proc and /sys: other processes, the host's mounts and kernel, Docker's socket.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

func main() {
	res := map[string]string{}
	pids := []string{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if e.Name()[0] >= '0' && e.Name()[0] <= '9' {
			comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
			pids = append(pids, strings.TrimSpace(string(comm)))
		}
	}
	res["processes"] = strings.Join(pids, ",")
	for _, p := range []string{"/proc/1/root/etc/hostname", "/proc/1/environ", "/var/run/docker.sock", "/proc/sys/kernel/hostname", "/proc/kcore", "/sys/fs/cgroup/cgroup.procs"} {
		b, err := os.ReadFile(p)
		if err != nil {
			res[p] = "error: " + err.Error()
		} else {
			res[p] = fmt.Sprintf("read %d bytes", len(b))
		}
	}
	out, _ := json.Marshal(res)
	fmt.Println("ATTACK go-proc-host " + string(out))
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("content-type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	_ = http.ListenAndServe("0.0.0.0:"+os.Getenv("PORT"), nil)
}
