#!/usr/bin/env python3
"""The shape of the code, as issue 16 measured it: methods per store interface, public methods per
class (the largest), state names copied into SQL, channel kinds compared as strings, code that
lists jurisdictions or languages, and files over 500 lines. Reads a checkout (default: this one);
run it on an older commit's worktree to compare:

  python3 scripts/shape-report.py            # this checkout
  git worktree add /tmp/old 510121e && python3 scripts/shape-report.py /tmp/old
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
SRC = os.path.join(ROOT, "src")


def files(top, exts):
    for base, _, names in os.walk(top):
        for n in sorted(names):
            if n.endswith(exts):
                yield os.path.join(base, n)


def read(p):
    with open(p, encoding="utf-8", errors="replace") as f:
        return f.read()


def is_test(p):
    name = os.path.basename(p)
    return "_test" in name or name.startswith(("test_", "fuzz_")) or "/testing/" in p


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def classes(text):
    """(name, body) of each class defined in a header."""
    for m in re.finditer(r"\nclass (\w+)(?:\s*:[^{;]*)?\s*\{", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        yield m.group(1), text[m.end():i - 1]


def public_methods(body):
    """Declarations of public member functions (not constructors' initialisers, not fields)."""
    body = strip_comments(body)
    # only the top level of the class body
    depth, top = 0, []
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                top.append(";")
            continue
        if depth == 0:
            top.append(ch)
    top = "".join(top)
    count, public = 0, False
    for part in re.split(r"(public:|private:|protected:)", top):
        if part in ("public:", "private:", "protected:"):
            public = part == "public:"
            continue
        if not public:
            continue
        for decl in part.split(";"):
            decl = " ".join(decl.split())
            if not decl or decl.startswith(("using ", "friend ", "static constexpr", "enum ", "struct ")):
                continue
            if "(" in decl and not re.match(r"^[\w:<>,\s*&]+\s+\w+\s*=", decl):
                if re.search(r"~\w+\(", decl) or "operator=" in decl:
                    continue
                count += 1
    return count


def main():
    headers = [p for p in files(SRC, (".h",)) if not is_test(p)]
    print("## Store interfaces: methods each (pure virtual)")
    for p in headers:
        if not (p.endswith("_store.h") or os.path.basename(p) in ("job_queue.h", "store.h")):
            continue
        if not p.startswith(os.path.join(SRC, "store")):
            continue
        for name, body in classes(read(p)):
            n = len(re.findall(r"=\s*0\s*;", body))
            if n:
                print(f"  {name:<16} {n:>3}   {os.path.relpath(p, ROOT)}")

    print("\n## Classes with the most public methods (src/, headers)")
    sizes = []
    for p in headers:
        for name, body in classes(read(p)):
            sizes.append((public_methods(body), name, os.path.relpath(p, ROOT)))
    for n, name, p in sorted(sizes, reverse=True)[:8]:
        print(f"  {name:<20} {n:>3}   {p}")

    sql = [p for p in files(os.path.join(SRC, "store"), (".cc",)) if not is_test(p)]
    states = "found|notified|overdue|escalated|removed|reappeared|dismissed|draft|approved|sending|sent|submitted|failed|cancelled|queued|running|done|open|closed|image|video"
    literals = sum(len(re.findall(r"'(?:%s)'" % states, read(p))) for p in sql)
    print(f"\n## State names written as SQL literals in src/store: {literals}")

    code = [p for p in files(SRC, (".cc", ".h")) if not is_test(p)]
    channel = re.compile(r'(?:kind|channel)\s*(?:==|!=)\s*"(?:email|web_form|api|webhook)"')
    hits = [os.path.relpath(p, ROOT) for p in code
            if channel.search(strip_comments(read(p)))]
    print(f"\n## Files comparing channel kinds as strings: {len(hits)}")
    for h in hits:
        print("  " + h)

    web = list(files(os.path.join(ROOT, "web", "src"), (".ts",))) + [
        p for p in files(os.path.join(ROOT, "web"), (".html",)) if "/node_modules/" not in p and "/dist/" not in p]
    lists = re.compile(r'"(?:US|EU|UK|AU|HK|MY|SG)"\s*[,:\]]|"zh-Hant"\s*[,}\]]|value="(?:US|EU|UK|AU|HK|MY|SG)"|from "\./i18n/\w+\.(?:en|ms|zh-Hant)\.json"')
    hits = [os.path.relpath(p, ROOT) for p in code + web if lists.search(strip_comments(read(p)))]
    print(f"\n## Code or markup listing jurisdictions or languages: {len(hits)}")
    for h in hits:
        print("  " + h)

    print("\n## Files in src/ over 500 lines")
    for p in files(SRC, (".cc", ".h")):
        n = read(p).count("\n")
        if n > 500:
            print(f"  {n:>5}  {os.path.relpath(p, ROOT)}")


if __name__ == "__main__":
    main()
