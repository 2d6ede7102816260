// orders-api is perfgate's demo workload: a small JSON HTTP service that
// does what real APIs do per request (decode, validate, compute, encode) and
// mints a crypto/rand token per order, so every perfgate metric has
// something to show. net/http/pprof serves CPU profiles.
//
// Injected regressions, for perfgate's own end-to-end tests and
// benchmarks. They live in regress.conf, compiled into the binary, so a
// regression is a committed change that travels with its commit (paired
// measurement builds the reference commit without it); ORDERS_REGRESS
// (comma-separated) adds to them for a single run. Words:
//
//	cpu            200 us more of hashing per request (about twice the CPU)
//	hash_rounds=N  N more SHA-256 sums of a 32-byte digest per request: a
//	               fixed, small amount of work, for regressions of a chosen size
//	getrandom      four extra getrandom() calls per request
//	getrandom_calls=N  N extra getrandom() calls per request
//	getrandom-big  each token read asks the kernel for 64 KiB (slower calls)
//	latency        sleeps 2 ms per request
package main

import (
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

type item struct {
	SKU   string  `json:"sku"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

type order struct {
	ID    string  `json:"id"`
	Token string  `json:"token"`
	Items []item  `json:"items"`
	Total float64 `json:"total"`
	Hash  string  `json:"hash"`
}

type regressions struct {
	cpu, getrandomBig, latency bool
	hashRounds, getrandomCalls int
}

var regress regressions

//go:embed regress.conf
var regressConf string

// words splits regress.conf and ORDERS_REGRESS alike: '#' starts a
// comment, commas and white space separate words.
func words(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		out = append(out, strings.FieldsFunc(line, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t'
		})...)
	}
	return out
}

func parseRegressions(s string) regressions {
	var r regressions
	for _, f := range words(s) {
		key, val, _ := strings.Cut(f, "=")
		n, _ := strconv.Atoi(val)
		switch key {
		case "cpu":
			r.cpu = true
		case "hash_rounds":
			r.hashRounds += n
		case "getrandom":
			r.getrandomCalls += 4
		case "getrandom_calls":
			r.getrandomCalls += n
		case "getrandom-big":
			r.getrandomBig = true
		case "latency":
			r.latency = true
		default:
			log.Fatalf("unknown regression %q", f)
		}
	}
	return r
}

// token reads 16 random bytes with exactly one getrandom() call: Go 1.19's
// crypto/rand.Read calls getrandom(2) directly for each read of up to
// 32 MiB (the "big" regression asks for 64 KiB instead).
func token() string {
	n := 16
	if regress.getrandomBig {
		n = 64 << 10
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:16])
}

func buildOrder(n int) order {
	o := order{ID: time.Now().UTC().Format("20060102150405.000000")}
	o.Token = token()
	for i := 0; i < n; i++ {
		sum := sha256.Sum256([]byte(o.ID + string(rune('a'+i%26))))
		it := item{SKU: hex.EncodeToString(sum[:6]), Qty: 1 + i%5,
			Price: float64(sum[0]) + float64(sum[1])/100}
		o.Items = append(o.Items, it)
		o.Total += float64(it.Qty) * it.Price
	}
	sort.Slice(o.Items, func(a, b int) bool { return o.Items[a].SKU < o.Items[b].SKU })
	enc, _ := json.Marshal(o.Items)
	sum := sha256.Sum256(enc)
	if regress.cpu {
		sum = rehash(sum, enc)
	}
	for i := 0; i < regress.hashRounds; i++ {
		sum = sha256.Sum256(sum[:])
	}
	o.Hash = hex.EncodeToString(sum[:])
	for i := 0; i < regress.getrandomCalls; i++ {
		token()
	}
	return o
}

// rehash is the injected CPU regression: an "integrity check" that hashes
// the order again and again for 200 us, about as much CPU as the whole
// request costs otherwise (at a paced load most of that is the HTTP and
// scheduling overhead, so doubling the order-building work alone would
// add only ~20 %).
func rehash(sum [32]byte, enc []byte) [32]byte {
	start := time.Now()
	for time.Since(start) < 200*time.Microsecond {
		for i := 0; i < 8; i++ {
			sum = sha256.Sum256(append(enc[:len(enc):len(enc)], sum[:]...))
		}
	}
	return sum
}

func handleOrder(w http.ResponseWriter, r *http.Request) {
	if regress.latency {
		time.Sleep(2 * time.Millisecond)
	}
	o := buildOrder(40)
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(&o); err != nil {
		log.Printf("encode: %v", err)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	crashAfter := flag.Duration("crash-after", 0, "exit(2) after this long (tests)")
	flag.Parse()
	regress = parseRegressions(regressConf + "\n" + os.Getenv("ORDERS_REGRESS"))
	if *crashAfter > 0 {
		time.AfterFunc(*crashAfter, func() {
			log.Print("crashing on purpose (-crash-after)")
			os.Exit(2)
		})
	}
	http.HandleFunc("/orders", handleOrder)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	log.Printf("orders-api listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
