#!/usr/bin/env python3
"""Writes a git fast-import stream: ~2,000 commits, 200 tags, a 100-file module (bench/direct)."""
import sys

commits = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
module = sys.argv[2] if len(sys.argv) > 2 else "example.test/bench.git"
out = sys.stdout.buffer
epoch = 1767225600  # 2026-01-01T00:00:00Z


def blob(data: bytes) -> None:
    out.write(b"data %d\n" % len(data))
    out.write(data)
    out.write(b"\n")


for i in range(commits):
    t = epoch + i * 600
    out.write(b"commit refs/heads/main\n")
    out.write(b"mark :%d\n" % (i + 1))
    out.write(b"committer Bench <bench@moddock.invalid> %d +0000\n" % t)
    blob(b"commit %d\n" % i)
    if i > 0:
        out.write(b"from :%d\n" % i)
    if i == 0:
        out.write(b"M 100644 inline go.mod\n")
        blob(("module %s\n\ngo 1.19\n" % module).encode())
        out.write(b"M 100644 inline LICENSE\n")
        blob(b"Bench license\n" * 40)
        for f in range(100):
            out.write(b"M 100644 inline pkg%d/file%d.go\n" % (f % 10, f))
            blob((b"package pkg%d\n\n// file %d\n" % (f % 10, f)) + b"var x = `" + b"abcdefghij" * 200 + b"`\n")
    f = i % 100
    out.write(b"M 100644 inline pkg%d/file%d.go\n" % (f % 10, f))
    blob((b"package pkg%d\n\n// file %d rev %d\n" % (f % 10, f, i)) + b"var x = `" + b"klmnopqrst" * 200 + b"`\n")
    out.write(b"\n")
    if i % 10 == 9:
        out.write(b"reset refs/tags/v1.%d.0\nfrom :%d\n\n" % (i // 10, i + 1))
