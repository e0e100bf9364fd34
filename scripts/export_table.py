#!/usr/bin/env python3
"""Exports a wasm module's function table as `__indirect_function_table` (if it is not exported).

The lazily loaded parts of the app (`scripts/build-web.sh`) put their functions into the main
module's table, which `wasm-split-cli` exports; `wasm-bindgen` drops that export, and without it
`wasm-opt` would also treat the table as closed (and call the placeholders directly). So it is
exported again between the two. Usage: export_table.py IN.wasm OUT.wasm
"""
import sys

NAME = b"__indirect_function_table"


def uleb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def enc(n):
    out = bytearray()
    while True:
        x, n = n & 0x7F, n >> 7
        out.append(x | 0x80 if n else x)
        if not n:
            return bytes(out)


def main(src, dst):
    d = open(src, "rb").read()
    if d[:4] != b"\0asm":
        sys.exit(f"{src}: not a wasm module")
    out, i, tables, exported = bytearray(d[:8]), 8, 0, False
    while i < len(d):
        start, sid = i, d[i]
        size, i = uleb(d, i + 1)
        body = d[i : i + size]
        i += size
        if sid == 4:
            tables, _ = uleb(body, 0)
        if sid == 7 and NAME not in body:
            n, j = uleb(body, 0)
            body = enc(n + 1) + body[j:] + enc(len(NAME)) + NAME + b"\x01" + enc(0)
            out += b"\x07" + enc(len(body)) + body
            exported = True
        else:
            out += d[start:i]
    if not tables:
        sys.exit(f"{src}: no function table to export")
    open(dst, "wb").write(bytes(out))
    print(f"export_table: {'exported' if exported else 'already exported'} {NAME.decode()}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
