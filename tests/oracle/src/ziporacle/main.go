// Command ziporacle answers module-zip questions with Debian's golang.org/x/mod, one request per
// stdin line (fields separated by tabs), one JSON object per stdout line:
//
//	dirzip <module> <version> <dir>  h1 of zip.CreateFromDir(dir), or its error
//	hashzip <file>                   dirhash.HashZip(file)
//	hashmod <file>                   h1 of a go.mod file (dirhash.Hash1 of one file named go.mod)
//	checkdir <dir>                   zip.CheckDir report
//	bench <module> <version> <dir> <out.zip>  CreateFromDir to out.zip, then HashZip (for bench/zip)
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

type reply struct {
	H1        string     `json:"h1,omitempty"`
	Err       string     `json:"err,omitempty"`
	Valid     []string   `json:"valid,omitempty"`
	Omitted   [][]string `json:"omitted,omitempty"`
	Invalid   [][]string `json:"invalid,omitempty"`
	SizeError string     `json:"sizeError,omitempty"`
}

func main() {
	if len(os.Args) > 1 {
		// One-shot mode for the benchmark: ziporacle bench M V DIR OUT
		fmt.Println(mustJSON(handle(os.Args[1:])))
		return
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		fmt.Fprintln(out, mustJSON(handle(strings.Split(in.Text(), "\t"))))
		out.Flush()
	}
}

func mustJSON(r reply) string {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func handle(args []string) reply {
	switch {
	case args[0] == "dirzip" && len(args) == 4:
		f, err := ioutil.TempFile("", "ziporacle-*.zip")
		if err != nil {
			return reply{Err: err.Error()}
		}
		defer os.Remove(f.Name())
		return zipAndHash(args[1], args[2], args[3], f)
	case args[0] == "bench" && len(args) == 5:
		f, err := os.Create(args[4])
		if err != nil {
			return reply{Err: err.Error()}
		}
		return zipAndHash(args[1], args[2], args[3], f)
	case args[0] == "hashzip" && len(args) == 2:
		h, err := dirhash.HashZip(args[1], dirhash.Hash1)
		return result(h, err)
	case args[0] == "hashmod" && len(args) == 2:
		h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) { return os.Open(args[1]) })
		return result(h, err)
	case args[0] == "checkdir" && len(args) == 2:
		cf, err := modzip.CheckDir(args[1])
		r := reply{Valid: cf.Valid}
		for _, o := range cf.Omitted {
			r.Omitted = append(r.Omitted, []string{o.Path, o.Err.Error()})
		}
		for _, i := range cf.Invalid {
			r.Invalid = append(r.Invalid, []string{i.Path, i.Err.Error()})
		}
		if cf.SizeError != nil {
			r.SizeError = cf.SizeError.Error()
		}
		if err != nil {
			r.Err = err.Error()
		}
		return r
	}
	return reply{Err: fmt.Sprintf("ziporacle: bad request %q", args)}
}

func zipAndHash(path, version, dir string, f *os.File) reply {
	err := modzip.CreateFromDir(f, module.Version{Path: path, Version: version}, dir)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return reply{Err: err.Error()}
	}
	h, err := dirhash.HashZip(f.Name(), dirhash.Hash1)
	return result(h, err)
}

func result(h string, err error) reply {
	if err != nil {
		return reply{Err: err.Error()}
	}
	return reply{H1: h}
}
