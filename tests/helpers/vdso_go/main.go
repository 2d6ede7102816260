// vdso_go reads 16 random bytes N times (argv[1]) with crypto/rand and
// exits. Built with Go 1.24 or later on Linux 6.11 or later, each read is
// one call of runtime.vgetrandom, the vDSO path no syscall tracepoint sees:
// the real binary the uprobe test counts (tests/unit/test_uprobe.c).
package main

import (
	"crypto/rand"
	"os"
	"strconv"
)

func main() {
	n, err := strconv.Atoi(os.Args[1])
	if err != nil {
		os.Exit(2)
	}
	var b [16]byte
	for i := 0; i < n; i++ {
		if _, err := rand.Read(b[:]); err != nil {
			os.Exit(1)
		}
	}
}
