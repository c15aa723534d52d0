// Command sumoracle answers checksum-database questions with golang.org/x/mod/sumdb (Debian's copy),
// so Moddock's C# implementation can be compared with Go's.
//
//	sumoracle batch                      line protocol on stdin (tab-separated), one answer line each
//	sumoracle serve SKEY RECORDSFILE      a real checksum database (sumdb.NewServer + NewTestServer) on
//	                                      127.0.0.1; prints its URL, serves until stdin closes.
//	                                      RECORDSFILE holds go.sum lines; it is re-read on every lookup.
//	                                      Optional further args M@V are looked up first (fixed history).
//	sumoracle dump SKEY RECORDSFILE DIR M@V...
//	                                      the same database after looking up every M@V, written as static
//	                                      files under DIR: each M@V's /lookup/ answer, every hash tile of
//	                                      the final tree and /latest, exactly as its handler serves them
//	                                      (the benchmark serves them with nginx, as a CDN would).
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sumoracle batch | serve SKEY RECORDSFILE [M@V...]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "batch":
		batch()
	case "serve":
		serve(os.Args[2], os.Args[3], os.Args[4:])
	case "dump":
		dump(os.Args[2], os.Args[3], os.Args[4], os.Args[5:])
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}

func gosumFunc(file string) func(path, vers string) ([]byte, error) {
	return func(path, vers string) ([]byte, error) {
		data, err := ioutil.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, path+" "+vers+" ") || strings.HasPrefix(line, path+" "+vers+"/go.mod ") {
				out = append(out, line)
			}
		}
		if len(out) == 0 {
			return nil, os.ErrNotExist
		}
		return []byte(strings.Join(out, "\n") + "\n"), nil
	}
}

// preloaded is a test database that has already looked up (logged) every M@V, in order.
func preloaded(skey, file string, preload []string) *sumdb.TestServer {
	ts := sumdb.NewTestServer(skey, gosumFunc(file))
	for _, mv := range preload {
		i := strings.Index(mv, "@")
		if _, err := ts.Lookup(context.Background(), module.Version{Path: mv[:i], Version: mv[i+1:]}); err != nil {
			fmt.Fprintln(os.Stderr, "preload", mv, err)
			os.Exit(1)
		}
	}
	return ts
}

func dump(skey, file, dir string, mvs []string) {
	ts := preloaded(skey, file, mvs)
	h := sumdb.NewServer(ts)
	get := func(path string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK {
			fmt.Fprintln(os.Stderr, "dump", path, rec.Code, rec.Body.String())
			os.Exit(1)
		}
		out := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := ioutil.WriteFile(out, rec.Body.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	for _, mv := range mvs {
		i := strings.Index(mv, "@")
		p, err1 := module.EscapePath(mv[:i])
		v, err2 := module.EscapeVersion(mv[i+1:])
		if err1 != nil || err2 != nil {
			fmt.Fprintln(os.Stderr, "dump: bad module version", mv)
			os.Exit(1)
		}
		get("/lookup/" + p + "@" + v)
	}
	for _, t := range tlog.NewTiles(8, 0, int64(len(mvs))) {
		get("/" + t.Path())
	}
	get("/latest")
}

func serve(skey, file string, preload []string) {
	ts := preloaded(skey, file, preload)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", l.Addr())
	go func() {
		io.Copy(ioutil.Discard, os.Stdin)
		os.Exit(0)
	}()
	http.Serve(l, sumdb.NewServer(ts))
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func unb64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

type hashes []tlog.Hash

func (h hashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var list []tlog.Hash
	for _, i := range indexes {
		if i < 0 || i >= int64(len(h)) {
			return nil, errors.New("index out of range")
		}
		list = append(list, h[i])
	}
	return list, nil
}

// store builds the stored hashes of a log holding the records (comma-separated base64; "-" = none).
func store(list string) (hashes, int64) {
	var h hashes
	n := int64(0)
	if list == "-" || list == "" {
		return h, 0
	}
	for _, r := range strings.Split(list, ",") {
		hs, err := tlog.StoredHashes(n, unb64(r), h)
		if err != nil {
			panic(err)
		}
		h = append(h, hs...)
		n++
	}
	return h, n
}

func hashList(hs []tlog.Hash) string {
	var s []string
	for _, h := range hs {
		s = append(s, h.String())
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}

func atoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

func batch() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		ans := func() (ans string) {
			defer func() {
				if r := recover(); r != nil {
					ans = fmt.Sprintf("err\tpanic: %v", r)
				}
			}()
			return answer(f)
		}()
		fmt.Fprintln(out, ans)
		out.Flush()
	}
}

func answer(f []string) string {
	switch f[0] {
	case "keygen": // NAME
		skey, vkey, err := note.GenerateKey(rand.Reader, f[1])
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + skey + "\t" + vkey
	case "sign": // SKEY B64TEXT
		s, err := note.NewSigner(f[1])
		if err != nil {
			return "err\t" + err.Error()
		}
		msg, err := note.Sign(&note.Note{Text: string(unb64(f[2]))}, s)
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + b64(msg)
	case "verify": // VKEY B64MSG -> ok B64TEXT
		v, err := note.NewVerifier(f[1])
		if err != nil {
			return "err\t" + err.Error()
		}
		n, err := note.Open(unb64(f[2]), note.VerifierList(v))
		if err != nil {
			return "err\t" + strings.ReplaceAll(err.Error(), "\n", " ")
		}
		return "ok\t" + b64([]byte(n.Text))
	case "verifier": // VKEY -> ok name hash
		v, err := note.NewVerifier(f[1])
		if err != nil {
			return "err\t" + err.Error()
		}
		return fmt.Sprintf("ok\t%s\t%08x", v.Name(), v.KeyHash())
	case "signer": // SKEY -> ok name hash
		s, err := note.NewSigner(f[1])
		if err != nil {
			return "err\t" + err.Error()
		}
		return fmt.Sprintf("ok\t%s\t%08x", s.Name(), s.KeyHash())
	case "recordhash": // B64DATA
		return "ok\t" + tlog.RecordHash(unb64(f[1])).String()
	case "treehash": // RECS -> ok N HASH
		h, n := store(f[1])
		th, err := tlog.TreeHash(n, h)
		if err != nil {
			return "err\t" + err.Error()
		}
		return fmt.Sprintf("ok\t%d\t%s", n, th)
	case "storedhashes": // RECS -> all stored hashes
		h, _ := store(f[1])
		return "ok\t" + hashList(h)
	case "proverecord": // RECS T N
		h, _ := store(f[1])
		p, err := tlog.ProveRecord(atoi(f[2]), atoi(f[3]), h)
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + hashList(p)
	case "provetree": // RECS T N
		h, _ := store(f[1])
		p, err := tlog.ProveTree(atoi(f[2]), atoi(f[3]), h)
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + hashList(p)
	case "tiledata": // RECS TILEPATH
		h, _ := store(f[1])
		t, err := tlog.ParseTilePath(f[2])
		if err != nil {
			return "err\t" + err.Error()
		}
		d, err := tlog.ReadTileData(t, h)
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + b64(d)
	case "newtiles": // H OLD NEW
		var s []string
		for _, t := range tlog.NewTiles(int(atoi(f[1])), atoi(f[2]), atoi(f[3])) {
			s = append(s, t.Path())
		}
		return "ok\t" + strings.Join(s, ",")
	case "tileforindex": // H INDEX
		return "ok\t" + tlog.TileForIndex(int(atoi(f[1])), atoi(f[2])).Path()
	case "parsetile": // PATH
		t, err := tlog.ParseTilePath(f[1])
		if err != nil {
			return "err\t" + err.Error()
		}
		return fmt.Sprintf("ok\t%d\t%d\t%d\t%d", t.H, t.L, t.N, t.W)
	case "splitindex": // INDEX
		l, n := tlog.SplitStoredHashIndex(atoi(f[1]))
		return fmt.Sprintf("ok\t%d\t%d\t%d", l, n, tlog.StoredHashIndex(l, n))
	case "hashzip": // ZIPFILE -> h1 of the module zip
		h, err := dirhash.HashZip(f[1], dirhash.Hash1)
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + h
	case "hashmod": // GOMODFILE -> h1 of go.mod alone, as go.sum's "/go.mod" line
		h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) { return os.Open(f[1]) })
		if err != nil {
			return "err\t" + err.Error()
		}
		return "ok\t" + h
	case "lookup": // VKEY BASEURL CACHEDIR PATH VERS -> x/mod's sumdb.Client
		c := sumdb.NewClient(&httpOps{vkey: f[1], base: f[2], dir: f[3]})
		lines, err := c.Lookup(f[4], f[5])
		if err != nil {
			return "err\t" + strings.ReplaceAll(err.Error(), "\n", " ")
		}
		return "ok\t" + strings.Join(lines, "|")
	}
	return "err\tunknown command " + f[0]
}

// httpOps is a sumdb.ClientOps over HTTP with config and cache in dir (like cmd/go's, minus the proxy).
type httpOps struct {
	vkey, base, dir string
}

func (o *httpOps) ReadRemote(path string) ([]byte, error) {
	resp, err := http.Get(strings.TrimSuffix(o.base, "/") + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := ioutil.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(data)))
	}
	return data, nil
}

func (o *httpOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.vkey), nil
	}
	data, err := ioutil.ReadFile(filepath.Join(o.dir, "config", file))
	if os.IsNotExist(err) {
		return []byte{}, nil
	}
	return data, err
}

func (o *httpOps) WriteConfig(file string, old, new []byte) error {
	p := filepath.Join(o.dir, "config", file)
	os.MkdirAll(filepath.Dir(p), 0777)
	return ioutil.WriteFile(p, new, 0666)
}

func (o *httpOps) ReadCache(file string) ([]byte, error) {
	return ioutil.ReadFile(filepath.Join(o.dir, "cache", file))
}

func (o *httpOps) WriteCache(file string, data []byte) {
	p := filepath.Join(o.dir, "cache", file)
	os.MkdirAll(filepath.Dir(p), 0777)
	ioutil.WriteFile(p, data, 0666)
}

func (o *httpOps) Log(msg string) {}

func (o *httpOps) SecurityError(msg string) { fmt.Fprintln(os.Stderr, msg) }
