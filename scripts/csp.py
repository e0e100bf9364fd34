#!/usr/bin/env python3
"""Trunk post-build hook: adds a strict Content-Security-Policy to the built index.html.

Trunk's loader is one inline module script whose text changes with the file hashes, so its
SHA-256 is computed here, after Trunk wrote it, and allowed by hash. Nothing else inline and
nothing remote is allowed.
"""
import base64, hashlib, os, re, sys

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", "dist"), "index.html")
html = open(path, encoding="utf-8").read()
scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts if s.strip()
)
# The diagram stylesheet is embedded in exported SVGs; the PNG export draws one through a blob: URL,
# which inherits this policy, so its <style> is allowed by hash.
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The review report opened in a new tab (a blob: URL too) embeds style/report.css the same way.
def css_hash(name):
    css = open(os.path.join(root, "style", name), encoding="utf-8").read()
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
style_hash = " ".join(css_hash(n) for n in ("diagram.css", "report.css"))
policy = "; ".join([
    "default-src 'none'",
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
    f"style-src 'self' {style_hash}",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
if "Content-Security-Policy" in html:
    sys.exit("index.html already has a Content-Security-Policy")
html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
open(path, "w", encoding="utf-8").write(html)
print("CSP added:", policy)
