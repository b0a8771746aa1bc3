"""Benchmark: evgrade's batched, cached, rate-limited resolver vs a naive loop, as whole processes.

A local stdlib ThreadingHTTPServer (in this process) plays PubMed efetch, Crossref
/works and OpenAlex /works with an injected latency (default 50 ms per request). The
identifiers are synthetic but well formed; the bodies are templates of real
recorded responses (tests/data/api, see SOURCE.txt there) with the ids and
titles swapped in. Every run is a process of its own: the anchor is this script in
``--naive`` mode, evgrade is ``evgrade resolve --bib refs.bib --format json`` pointed at
the server through ``EVGRADE_<SOURCE>_URL``. All runs take turns in every round, each
the same number of rounds (``--repeat``), and the table gives medians.

Every 50th DOI (--missing) is unknown to Crossref: absent from its filter
answers and 404 at /works/{doi}, so the cost of confirming absent DOIs one by
one is part of the measurement (OpenAlex still knows them).

The runs of a round, the evgrade ones each with a fresh cache:
  naive     one request per identifier, sequential (efetch per PMID, Crossref
            /works/{doi} per DOI)
  evgrade   `evgrade resolve` with the documented per-host rate limits
            (Crossref: 10/s single lookups, 3/s filter queries, polite pool)
  evgrade*  the same with rate limits lifted (EVGRADE_<SOURCE>_RPS), to show what
            batching and concurrency alone buy (never do this against the real services)
each evgrade run followed by a second run on the same cache, which must make no request.

Run:  .venv/bin/python benchmarks/bench_resolve.py [--n 1000] [--latency 0.05] [--missing 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import re
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

sys.path.insert(0, str(ROOT / "benchmarks"))
from _whole import EVGRADE, machine, run  # noqa: E402

DATA = ROOT / "tests" / "data" / "api"


class Templates:
    def __init__(self) -> None:
        root = ET.fromstring((DATA / "biopython_entrez" / "pubmed4.xml").read_bytes())
        self.article = ET.tostring(root.find("PubmedArticle"), encoding="unicode")
        self.crossref = json.loads((DATA / "habanero" / "test_works_with_one_id_0.json")
                                   .read_text(encoding="utf-8"))["message"]
        self.openalex = json.loads((DATA / "commonmeta_openalex_crossref" /
                                    "test-openalex_reader__test_doi_with_data_citation_0.json")
                                   .read_text(encoding="utf-8"))

    def pubmed(self, pmid: str) -> str:
        return re.sub(r"<PMID Version=\"1\">\d+</PMID>", f'<PMID Version="1">{pmid}</PMID>',
                      self.article, count=1).replace("<ArticleTitle>", f"<ArticleTitle>Study {pmid}: ", 1)

    def crossref_work(self, doi: str) -> dict:
        item = copy.deepcopy(self.crossref)
        item["DOI"], item["title"] = doi, [f"Work {doi}"]
        item.pop("updated-by", None)
        return {"status": "ok", "message-type": "work", "message": item}

    def openalex_work(self, doi: str) -> dict:
        work = copy.deepcopy(self.openalex)
        n = int(doi.rsplit(".", 1)[1])
        work.update(doi=f"https://doi.org/{doi}", title=f"Work {doi}", display_name=f"Work {doi}")
        work["ids"] = {"doi": work["doi"], "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{31000000 + n}"}
        return work


def serve(latency: float, templates: Templates,
          unknown: set[str]) -> tuple[ThreadingHTTPServer, Counter]:
    """``unknown``: DOIs Crossref does not have."""
    counts: Counter = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # headers and body leave in one write: no Nagle/delayed-ACK stall

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _reply(self, body: str, ctype: str, status: int = 200) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self, form: dict) -> None:
            time.sleep(latency)
            url = urlsplit(self.path)
            query = {**parse_qs(url.query), **form}
            with lock:
                host = url.path.split("/")[1]
                if url.path == "/crossref/works":
                    host += "-list"
                counts[host] += 1
            if url.path.endswith("/efetch.fcgi"):
                ids = query.get("id", [""])[0].split(",")
                body = "".join(templates.pubmed(i) for i in ids if i)
                self._reply(f"<PubmedArticleSet>{body}</PubmedArticleSet>", "text/xml")
            elif url.path.startswith("/crossref/works/"):
                doi = unquote(url.path[len("/crossref/works/"):])
                if doi in unknown:
                    self._reply("Resource not found.", "text/plain", 404)
                else:
                    self._reply(json.dumps(templates.crossref_work(doi)), "application/json")
            elif url.path == "/crossref/works":
                values = query.get("filter", [""])[0].split(",")
                dois = [v[4:] for v in values if v.startswith("doi:")]
                items = [templates.crossref_work(d)["message"] for d in dois if d not in unknown]
                self._reply(json.dumps({"status": "ok", "message-type": "work-list",
                                        "message": {"items": items,
                                                    "total-results": len(items)}}),
                            "application/json")
            elif url.path == "/openalex/works":
                dois = query.get("filter", ["doi:"])[0][4:].split("|")
                results = [templates.openalex_work(d) for d in dois if d]
                self._reply(json.dumps({"meta": {"count": len(results)}, "results": results}),
                            "application/json")
            else:
                self.send_error(404)

        def do_GET(self) -> None:
            self._route({})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self._route(parse_qs(self.rfile.read(length).decode()))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counts


def identifiers(n: int) -> tuple[list[str], list[str]]:
    pmids = [str(30000000 + i) for i in range(n // 2)]
    dois = [f"10.5555/bench.{i}" for i in range(n - n // 2)]
    return pmids, dois


def naive(base: str, pmids: list[str], dois: list[str]) -> int:
    """One request per identifier, one after another; returns how many were found."""
    found = 0
    with requests.Session() as s:
        for p in pmids:
            r = s.get(f"{base}/eutils/efetch.fcgi", params={"db": "pubmed", "id": p, "retmode": "xml"},
                      timeout=30)
            found += f">{p}</PMID>" in r.text
        for d in dois:
            r = s.get(f"{base}/crossref/works/{d}", timeout=30)
            found += r.status_code == 200
    return found


def bibliography(pmids: list[str], dois: list[str]) -> str:
    """The identifiers as a .bib (PMID entries without title, as a bare PMID citation has)."""
    entries = [f"@article{{p{p},\n  pmid = {{{p}}}\n}}\n" for p in pmids]
    entries += [f"@article{{d{i},\n  title = {{Work {d}}},\n  doi = {{{d}}}\n}}\n" for i, d in enumerate(dois)]
    return "\n".join(entries)


def _environment(base: str, cache: Path, lifted: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVGRADE_") and k != "NCBI_API_KEY"}
    env.update(EVGRADE_CACHE_DIR=str(cache), EVGRADE_MAILTO="bench@example.org",
               EVGRADE_SOURCES="pubmed,crossref,openalex",
               EVGRADE_PUBMED_URL=f"{base}/eutils", EVGRADE_CROSSREF_URL=f"{base}/crossref",
               EVGRADE_OPENALEX_URL=f"{base}/openalex")
    if lifted:
        env.update(EVGRADE_PUBMED_RPS="1000", EVGRADE_CROSSREF_RPS="1000",
                   EVGRADE_CROSSREF_LIST_RPS="1000", EVGRADE_OPENALEX_RPS="1000")
    return env


def _verdicts(out: Path) -> dict[str, int]:
    """{status: count} of an `evgrade resolve --format json` answer: {"resolutions": {key: ...}}."""
    resolutions = json.loads(out.read_text(encoding="utf-8"))["resolutions"]
    return dict(Counter(r["status"] for r in resolutions.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="identifiers (half PMIDs, half DOIs)")
    ap.add_argument("--latency", type=float, default=0.05, help="seconds added to every response")
    ap.add_argument("--missing", type=int, default=50,
                    help="every Nth DOI is unknown to Crossref (0: none)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; every run once per round")
    ap.add_argument("--skip-polite", action="store_true", help="skip the rate-limited evgrade run")
    ap.add_argument("--naive", metavar="BASE", help=argparse.SUPPRESS)  # the anchor's own process
    ap.add_argument("--found", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    pmids, dois = identifiers(args.n)
    if args.naive:
        args.found.write_text(str(naive(args.naive, pmids, dois)), encoding="utf-8")
        return
    unknown = set(dois[args.missing - 1::args.missing]) if args.missing > 0 else set()
    server, counts = serve(args.latency, Templates(), unknown)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="evgrade-resolve-") as tmp:
        work = Path(tmp)
        (work / "refs.bib").write_text(bibliography(pmids, dois), encoding="utf-8")
        rows = _rounds(args, base, work, counts)
    server.shutdown()
    _report(args, rows, len(pmids), len(dois), len(unknown))


def _rounds(args: argparse.Namespace, base: str, work: Path, counts: Counter) -> dict[str, dict]:
    naive_cmd = [sys.executable, __file__, "--n", str(args.n), "--naive", base, "--found", str(work / "found")]
    resolve_cmd = [EVGRADE, "resolve", "--bib", "refs.bib", "--format", "json"]
    variants = [("evgrade (documented rate limits)", False), ("evgrade (rate limits lifted)", True)]
    if args.skip_polite:
        variants = variants[1:]
    rows: dict[str, dict] = {}

    def note(label: str, seconds: float, extra: dict) -> None:
        row = rows.setdefault(label, {"seconds": [], "requests": [], "by_host": {}, "verdicts": []})
        row["seconds"].append(seconds)
        row["requests"].append(sum(counts.values()))
        row["by_host"] = dict(counts)
        row["verdicts"].append(extra)

    for _ in range(args.repeat):
        counts.clear()
        seconds, _mib = run(naive_cmd, cwd=work, env={**os.environ})
        note("naive sequential", seconds, {"found": int((work / "found").read_text())})
        for label, lifted in variants:
            cache = work / "cache"
            shutil.rmtree(cache, ignore_errors=True)
            env = _environment(base, cache, lifted)
            for suffix in ("", ", 2nd run (cache)"):
                counts.clear()
                seconds, _mib = run(resolve_cmd, cwd=work, env=env, stdout=work / "out.json")
                note(label + suffix, seconds, _verdicts(work / "out.json"))
            if rows[label + ", 2nd run (cache)"]["requests"][-1]:
                sys.exit("a second identical run must make no request")
    return rows


def _report(args: argparse.Namespace, rows: dict[str, dict], pmids: int, dois: int, unknown: int) -> None:
    print(f"machine: {machine()}")
    print(f"{args.n} identifiers ({pmids} PMIDs, {dois} DOIs, {unknown} of them unknown to Crossref), "
          f"{args.latency * 1000:.0f} ms latency per request; median of {args.repeat} interleaved "
          "whole processes per row\n")
    naive_s = statistics.median(rows["naive sequential"]["seconds"])
    print(f"{'run':50s} {'median':>9s} {'ratio':>6s}  {'requests':>8s}  by host / verdicts")
    for label, row in rows.items():
        wall = statistics.median(row["seconds"])
        same = all(v == row["verdicts"][0] for v in row["verdicts"])
        verdicts = row["verdicts"][0] if same else "VERDICTS DIFFER BETWEEN ROUNDS"
        print(f"{label:50s} {wall:7.2f} s {wall / naive_s:6.3f}  {statistics.median(row['requests']):8.0f}  "
              f"{row['by_host']}  {verdicts}")
    print("(ratio: to the naive loop's median. naive asks one source per identifier; evgrade asks "
          "Crossref (filter queries of 40, then /works/{doi} for each DOI a batch lacked) and "
          "OpenAlex for every DOI, and PubMed for the PMIDs OpenAlex reports)")
    # not measured: what the naive loop would need if it kept to the same limits
    print(f"naive loop within NCBI 3/s and Crossref 10/s would need >= {pmids / 3.0 + dois / 10.0:.0f} s "
          "(computed, not run)")


if __name__ == "__main__":
    main()
