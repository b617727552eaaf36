// Ignores SIGTERM (and SIGINT, SIGHUP) and keeps serving: the pod's removal must not wait for it.
package main

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	fmt.Println(`ATTACK go-ignore-sigterm {"ignoring":true}`)
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("content-type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	_ = http.ListenAndServe("0.0.0.0:"+os.Getenv("PORT"), nil)
}
