package main

import (
	"crypto/sha256"
	"time"
)

// A committed CPU regression for perfgate's CI and hook tests: hashing in
// the background, about 4 ms of every 10, whatever the handlers do (so the
// tests do not depend on the demo's own regression switches).
func init() {
	go func() {
		buf := make([]byte, 4096)
		for {
			end := time.Now().Add(4 * time.Millisecond)
			for time.Now().Before(end) {
				sum := sha256.Sum256(buf)
				buf[0] = sum[0]
			}
			time.Sleep(6 * time.Millisecond)
		}
	}()
}
