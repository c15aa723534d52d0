#!/usr/bin/env python3
"""Generates a deterministic ~50 MB Go module source tree for bench/zip (same bytes on every run).

Mixed like a real module: many small Go-like text files in nested packages, some medium text
(testdata), a few large incompressible blobs, a vendor directory and a nested module that the
zip rules leave out.
"""
import os
import random
import sys

def main(root: str) -> None:
    rnd = random.Random(20261121)
    words = [w.strip() for w in "func return package import struct interface type var const if else for range map chan select go defer error nil string int byte".split()]
    os.makedirs(root, exist_ok=True)

    def write(rel: str, data: bytes) -> None:
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)

    def text(n: int) -> bytes:
        out = []
        size = 0
        while size < n:
            line = "\t" + " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 12))) + "\n"
            out.append(line)
            size += len(line)
        return "".join(out).encode()[:n]

    write("go.mod", b"module example.com/benchtree\n\ngo 1.21\n")
    write("LICENSE", text(11_000))
    total = 0
    # ~3000 small source files (1-16 KB) in 150 packages: ~25 MB
    for pkg in range(150):
        for i in range(20):
            n = rnd.randint(1_000, 16_000)
            write(f"pkg{pkg:03d}/sub{i % 4}/file{i:02d}.go", b"package p\n" + text(n))
            total += n
    # testdata: 60 medium text files (100-300 KB): ~12 MB
    for i in range(60):
        n = rnd.randint(100_000, 300_000)
        write(f"testdata/golden{i:02d}.txt", text(n))
        total += n
    # 8 incompressible blobs (1-2 MB): ~12 MB
    for i in range(8):
        n = rnd.randint(1_000_000, 2_000_000)
        write(f"testdata/blob{i}.bin", rnd.randbytes(n))
        total += n
    # left out by the zip rules
    write("vendor/modules.txt", b"# example.com/dep v1.0.0\n")
    write("vendor/example.com/dep/dep.go", b"package dep\n" + text(5_000))
    write("nested/go.mod", b"module example.com/benchtree/nested\n")
    write("nested/n.go", b"package nested\n")
    print(f"{root}: {total} bytes of module files", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1])
