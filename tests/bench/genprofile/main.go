// genprofile writes a large, real-looking pprof CPU profile (gzip) for
// scripts/bench-profile.sh: a service-like call graph of Go-style function
// names, locations with inlined frames, deep stacks with some recursion,
// and a skewed (Zipf) choice of callees, encoded as runtime/pprof does
// (packed location ids and values). Standard library only.
//
//	genprofile -samples 1000000 -o profile.pb.gz
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"math/rand"
	"os"
)

type buf []byte

func (b *buf) varint(x uint64) {
	for x >= 0x80 {
		*b = append(*b, byte(x)|0x80)
		x >>= 7
	}
	*b = append(*b, byte(x))
}

func (b *buf) key(field, wire int) { b.varint(uint64(field<<3 | wire)) }

func (b *buf) uint(field int, x uint64) {
	if x != 0 {
		b.key(field, 0)
		b.varint(x)
	}
}

func (b *buf) bytes(field int, p []byte) {
	b.key(field, 2)
	b.varint(uint64(len(p)))
	*b = append(*b, p...)
}

func (b *buf) packed(field int, xs []uint64) {
	var p buf
	for _, x := range xs {
		p.varint(x)
	}
	b.bytes(field, p)
}

type strtab struct {
	idx  map[string]uint64
	list []string
}

func (s *strtab) id(v string) uint64 {
	if i, ok := s.idx[v]; ok {
		return i
	}
	s.idx[v] = uint64(len(s.list))
	s.list = append(s.list, v)
	return s.idx[v]
}

type fn struct {
	callees []int
	inlined int // a helper inlined at the call sites of this function, or -1
	loc     []uint64
	self    uint64
}

var pkgs = []string{"net/http", "encoding/json", "runtime", "sort", "bufio", "crypto/sha256",
	"github.com/acme/orders/api", "github.com/acme/orders/store", "github.com/acme/orders/cache",
	"github.com/acme/kit/log", "google.golang.org/grpc", "database/sql", "regexp", "strconv"}
var types = []string{"", "(*Server)", "(*conn)", "(*Decoder)", "(*Encoder)", "(*Cache)",
	"(*Store)", "(*Regexp)", "(*Reader)", "(*Writer)", "(*entry[...])", "(*Tx)"}
var verbs = []string{"serve", "Handle", "decode", "encode", "Get", "Put", "lookup", "scan",
	"readLoop", "writeLoop", "compute", "Sum", "match", "Parse", "Format", "grow", "flush"}

func name(r *rand.Rand, i int) string {
	n := pkgs[r.Intn(len(pkgs))] + "."
	if t := types[r.Intn(len(types))]; t != "" {
		n += t + "."
	}
	n += verbs[r.Intn(len(verbs))]
	if i%7 == 0 {
		n += fmt.Sprintf(".func%d", 1+i%5)
	}
	return fmt.Sprintf("%s%d", n, i)
}

func main() {
	nsamples := flag.Int("samples", 1000000, "number of samples")
	nfuncs := flag.Int("funcs", 20000, "number of functions")
	out := flag.String("o", "profile.pb.gz", "output file")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	r := rand.New(rand.NewSource(*seed))
	st := &strtab{idx: map[string]uint64{}}
	st.id("")
	var p, locs buf

	vt := func(t, u string) []byte {
		var v buf
		v.uint(1, st.id(t))
		v.uint(2, st.id(u))
		return v
	}
	p.bytes(1, vt("samples", "count"))
	p.bytes(1, vt("cpu", "nanoseconds"))
	var m buf
	m.uint(1, 1)
	m.uint(2, 0x400000)
	m.uint(3, 0x4000000)
	m.uint(5, st.id("/usr/local/bin/orders-api"))
	m.uint(7, 1)
	m.uint(8, 1)
	m.uint(9, 1)
	m.uint(10, 1)
	p.bytes(3, m)

	zipf := rand.NewZipf(r, 1.3, 2, 7)
	funcs := make([]fn, *nfuncs)
	var nextLoc uint64 = 1
	for i := range funcs {
		f := &funcs[i]
		f.inlined = -1
		if r.Intn(5) == 0 {
			f.inlined = r.Intn(*nfuncs)
		}
		for j := 0; j < 2+r.Intn(7); j++ {
			f.callees = append(f.callees, r.Intn(*nfuncs))
		}
		if i > 10 && r.Intn(20) == 0 {
			f.callees = append(f.callees, i) // direct recursion
		}
		// One location per call site, plus one for time spent in f itself.
		for j := 0; j <= len(f.callees); j++ {
			var l, ln buf
			l.uint(1, nextLoc)
			l.uint(2, 1)
			l.uint(3, 0x401000+nextLoc*16)
			if j < len(f.callees) && f.inlined >= 0 && j%2 == 0 {
				ln.uint(1, uint64(f.inlined+1))
				ln.uint(2, uint64(10+r.Intn(500)))
				l.bytes(4, ln)
				ln = ln[:0]
			}
			ln.uint(1, uint64(i+1))
			ln.uint(2, uint64(10+r.Intn(2000)))
			l.bytes(4, ln)
			locs.bytes(4, l)
			if j < len(f.callees) {
				f.loc = append(f.loc, nextLoc)
			} else {
				f.self = nextLoc
			}
			nextLoc++
		}
	}
	roots := []int{0, 1, 2, 3}
	stack := make([]uint64, 0, 128)
	for s := 0; s < *nsamples; s++ {
		stack = stack[:0]
		cur := roots[r.Intn(len(roots))]
		path := []uint64{}
		depth := 6 + r.Intn(40)
		for d := 0; d < depth; d++ {
			k := int(zipf.Uint64()) % len(funcs[cur].callees)
			path = append(path, funcs[cur].loc[k])
			cur = funcs[cur].callees[k]
		}
		stack = append(stack, funcs[cur].self)
		for i := len(path) - 1; i >= 0; i-- {
			stack = append(stack, path[i])
		}
		n := uint64(1 + zipf.Uint64()%3)
		var smp buf
		smp.packed(1, stack)
		smp.packed(2, []uint64{n, n * 10000000})
		p.bytes(2, smp)
	}
	p = append(p, locs...)
	for i := range funcs {
		var f buf
		nm := st.id(name(r, i))
		f.uint(1, uint64(i+1))
		f.uint(2, nm)
		f.uint(3, nm)
		f.uint(4, st.id(fmt.Sprintf("/src/acme/%s.go", pkgs[i%len(pkgs)])))
		f.uint(5, uint64(1+r.Intn(3000)))
		p.bytes(5, f)
	}
	for _, s := range st.list {
		p.bytes(6, []byte(s))
	}
	p.uint(9, 1764230400000000000)
	p.uint(10, 30000000000)
	var pt buf
	pt.uint(1, st.id("cpu"))
	pt.uint(2, st.id("nanoseconds"))
	p.bytes(11, pt)
	p.uint(12, 10000000)

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	z := gzip.NewWriter(w)
	if _, err = z.Write(p); err == nil {
		if err = z.Close(); err == nil {
			if err = w.Flush(); err == nil {
				err = f.Close()
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("genprofile: %s: %d samples, %d functions, %d locations, %d bytes uncompressed\n",
		*out, *nsamples, *nfuncs, nextLoc-1, len(p))
}
