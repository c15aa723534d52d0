// Command modoracle answers questions about module paths, versions, pseudo-versions, prefix patterns and
// go.mod files with Debian's golang.org/x/mod, for Moddock's differential tests.
//
// Protocol: one request per line on stdin, one answer per line on stdout. A request is the operation name
// followed by its arguments, tab-separated, each argument hex-encoded (so any byte string, including invalid
// UTF-8 and newlines, travels safely). An answer is a tab-separated list of hex-encoded fields.
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	for {
		line, err := in.ReadString('\n')
		if line == "" && err != nil {
			if err != io.EOF {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			return
		}
		line = strings.TrimSuffix(line, "\n")
		fields := strings.Split(line, "\t")
		args := make([]string, len(fields)-1)
		for i, f := range fields[1:] {
			b, err := hex.DecodeString(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bad hex:", err)
				os.Exit(1)
			}
			args[i] = string(b)
		}
		res := answer(fields[0], args)
		for i, r := range res {
			if i > 0 {
				out.WriteByte('\t')
			}
			out.WriteString(hex.EncodeToString([]byte(r)))
		}
		out.WriteByte('\n')
		if in.Buffered() == 0 {
			out.Flush()
		}
	}
}

func result(err error, value string) []string {
	if err != nil {
		return []string{"err", err.Error()}
	}
	return []string{"ok", value}
}

func b(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// answer never lets a panic in x/mod kill the process: it reports it as an answer instead.
func answer(op string, a []string) (res []string) {
	defer func() {
		if e := recover(); e != nil {
			res = []string{"panic", fmt.Sprint(e)}
		}
	}()
	switch op {
	case "checkpath":
		return result(module.CheckPath(a[0]), "")
	case "checkimport":
		return result(module.CheckImportPath(a[0]), "")
	case "checkfile":
		return result(module.CheckFilePath(a[0]), "")
	case "checkpathmajor":
		return result(module.CheckPathMajor(a[0], a[1]), "")
	case "check":
		return result(module.Check(a[0], a[1]), "")
	case "split":
		prefix, major, ok := module.SplitPathVersion(a[0])
		return []string{prefix, major, b(ok)}
	case "escapepath":
		return result2(module.EscapePath(a[0]))
	case "unescapepath":
		return result2(module.UnescapePath(a[0]))
	case "escapeversion":
		return result2(module.EscapeVersion(a[0]))
	case "unescapeversion":
		return result2(module.UnescapeVersion(a[0]))
	case "semver":
		v := a[0]
		return []string{b(semver.IsValid(v)), semver.Canonical(v), semver.Major(v), semver.MajorMinor(v),
			semver.Prerelease(v), semver.Build(v), module.CanonicalVersion(v)}
	case "compare":
		return []string{strconv.Itoa(semver.Compare(a[0], a[1]))}
	case "pseudo":
		sec, err := strconv.ParseInt(a[2], 10, 64)
		if err != nil {
			return []string{"bad time"}
		}
		return []string{module.PseudoVersion(a[0], a[1], time.Unix(sec, 0), a[3])}
	case "ispseudo":
		return []string{b(module.IsPseudoVersion(a[0])), b(module.IsZeroPseudoVersion(a[0]))}
	case "pseudobase":
		return result2(module.PseudoVersionBase(a[0]))
	case "pseudotime":
		t, err := module.PseudoVersionTime(a[0])
		return result(err, t.UTC().Format(time.RFC3339))
	case "pseudorev":
		return result2(module.PseudoVersionRev(a[0]))
	case "match":
		return []string{b(module.MatchPrefixPatterns(a[0], a[1]))}
	case "modfile":
		return parseModFile(a[0])
	case "pathunescape":
		v, err := url.PathUnescape(a[0])
		if err != nil {
			return []string{"err", ""}
		}
		if !utf8.ValidString(v) {
			return []string{"invalid-utf8", ""}
		}
		return []string{"ok", v}
	}
	return []string{"unknown op " + op}
}

func result2(v string, err error) []string { return result(err, v) }

// parseModFile reads go.mod the way cmd/go reads a dependency's go.mod (ParseLax, no version fixer).
func parseModFile(data string) []string {
	f, err := modfile.ParseLax("go.mod", []byte(data), nil)
	if err != nil {
		return []string{"err", err.Error()}
	}
	res := []string{"ok", "", "", ""}
	if f.Module != nil {
		res[1] = "1"
		res[2] = f.Module.Mod.Path
	}
	if f.Go != nil {
		res[3] = f.Go.Version
	}
	for _, r := range f.Retract {
		res = append(res, r.Low, r.High, r.Rationale)
	}
	res = append(res, "require")
	for _, r := range f.Require {
		res = append(res, r.Mod.Path, r.Mod.Version, fmt.Sprint(r.Indirect))
	}
	return res
}
