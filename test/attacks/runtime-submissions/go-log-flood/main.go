// Serves /health, then writes 200 MiB to stdout and stderr as fast as it can: logs stay bounded.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("content-type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	go func() {
		time.Sleep(time.Second)
		line := strings.Repeat("flood ", 170) + "\n"
		for i := 0; i < 200*1024; i++ {
			os.Stdout.WriteString(line)
			os.Stderr.WriteString(line)
		}
	}()
	_ = http.ListenAndServe("0.0.0.0:"+os.Getenv("PORT"), nil)
}
