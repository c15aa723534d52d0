#!/usr/bin/env python3
"""Writes a GOPROXY file layout for the serve benchmarks.

usage: make_modules.py OUT N_GRAPH ZIP_KIB BIG_MIB
  - example.com/bench v1.0.0 with a zip of about ZIP_KIB KiB (the wrk target);
  - example.com/big v1.0.0 with a zip of about BIG_MIB MiB (the memory test);
  - example.com/g/mNNN v1.0.0 for NNN < N_GRAPH, each requiring the next ten (a graph);
  - app/go.mod + main.go importing every graph module (the cold-path project).
Zips hold module@version/ prefixed entries, as golang.org/x/mod/zip writes them.
"""
import os, random, sys, zipfile

out, n, zip_kib, big_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(42)

def module(path, version, gomod, files):
    d = os.path.join(out, path, "@v")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, version + ".info"), "w") as f:
        f.write('{"Version":"%s","Time":"2024-01-02T03:04:05Z"}' % version)
    with open(os.path.join(d, version + ".mod"), "w") as f:
        f.write(gomod)
    with zipfile.ZipFile(os.path.join(d, version + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{path}@{version}/go.mod", gomod)
        for name, data in files.items():
            z.writestr(f"{path}@{version}/{name}", data)
    with open(os.path.join(d, "list"), "w") as f:
        f.write(version + "\n")

def blob(n_bytes):
    # base64-ish text that does not compress much
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rnd.choice(alphabet) for _ in range(n_bytes))

module("example.com/bench", "v1.0.0", "module example.com/bench\n", {"blob.txt": blob(zip_kib * 1024 * 4 // 3)})
big = os.urandom(big_mib << 20)
module("example.com/big", "v1.0.0", "module example.com/big\n", {"blob.bin": big})

reqs = []
for i in range(n):
    p = "example.com/g/m%03d" % i
    deps = ["example.com/g/m%03d" % j for j in range(i + 1, min(n, i + 11))]
    gomod = "module %s\n\ngo 1.18\n" % p
    if deps:
        gomod += "\nrequire (\n" + "".join("\t%s v1.0.0\n" % d for d in deps) + ")\n"
    module(p, "v1.0.0", gomod, {"m.go": "package m%03d\n\nconst N = %d\n" % (i, i), "data.txt": blob(20000)})
    reqs.append(p)

app = os.path.join(os.path.dirname(out.rstrip("/")), "app")
os.makedirs(app, exist_ok=True)
with open(os.path.join(app, "go.mod"), "w") as f:
    f.write("module example.com/app\n\ngo 1.18\n\nrequire (\n" + "".join("\t%s v1.0.0\n" % p for p in reqs) + ")\n")
