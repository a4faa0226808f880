"""A tag edit to searchable across hosts: an editor adds an abuse type to a paragraph
through server A's web form, and server A's and server B's /api/search are asked for
that paragraph until each lists it (the issue's "a tag edit on one host is searchable on
every host within a second").

- The editor: `testimony user add bench-editor --role editor --password-stdin` with A's
  settings (the size's database is new each run), signed in to A over HTTP as a browser
  is (urllib with a cookie jar: the sign-in page's form token, then POST /sign-in,
  answered 303 with the session cookie).
- Each repetition takes a leaf abuse type (`testimony vocabulary abuse-types`, seven
  apart in its list each time) and a paragraph that does not carry it, of a document
  that does not either (a document's tags are every paragraph's), the documents spread
  over the archive. The API has no document filter: the search is
  /api/search?q=title:"<the document's title>"&abuse_type=<id>&unit=paragraph, and a
  paragraph is taken only if both servers answer it before the edit with fewer than a
  page of paragraphs, not listing it (so that it is on page 1 once tagged; and B has
  answered that very search before, as a reader waiting for the edit would have).
- The edit: GET the document page for the form's token, then POST
  /documents/{id}/tags (action=add, para, value), which answers 303 once the archive
  file, the search rows and the audit entry are written and committed. From the moment
  that answer arrives, each server is asked in a thread of its own, a request every
  0.02 s (or as soon as the one before answered, if it took longer), until it lists the
  paragraph: the time is when the answer that listed it arrived, so it includes that
  search's own time (kept as search_ms; found_by_first_search counts the edits the
  first search after the 303 already listed: for those the time is one search's, and
  says only that the edit was searchable by then). B reads from the replica when its
  own once-a-second check finds the replica keeping up (instance/replicas.py), else
  from the primary; which one answered is not seen from here. Its time is replication
  to the replica and whatever B caches. Meanwhile the primary's WAL position is read
  just after the 303 and the replica's replay position is asked every 0.002 s until it
  has reached it: when the replica held the edit, at the latest (replica_replayed_s).
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode

from testimony_archive.archive import Archive
from testimony_archive.models import Document

from .build import checked, cli_command
from .common import fetch, run_measured
from .postgres_db import Connection, Database

EDITOR = "bench-editor"
PASSWORD = "a long bench editor password 2026"
POLL_S = 0.02
REPLAY_POLL_S = 0.002
FOUND_TIMEOUT_S = 10.0  # after the 303: ten times the target
PAGE = 20  # the API's results a page
CANDIDATES = 60  # documents tried, from a repetition's place in the archive on
TYPE_STRIDE = 7  # the next repetition's abuse type, this far down the list
FORM_TOKEN = 'name="csrf" value="'


@dataclass(frozen=True)
class Target:
    doc: str
    para: int
    abuse_type: str
    title: str

    def search(self) -> str:
        query = {"q": f'title:"{self.title}"', "abuse_type": self.abuse_type, "unit": "paragraph"}
        return f"/api/search?{urlencode(query)}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A form's 303 is the answer to look at, not a page to go on to."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


class Browser:
    """One server's pages with the cookies it set kept, as a browser keeps them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        """GET, or POST the form; the status and the page (redirects not followed)."""
        data = None if form is None else urlencode(form).encode()
        try:
            with self._opener.open(self.base + path, data, timeout=30) as response:
                return int(response.status), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode("utf-8", "replace")

    def form_token(self, path: str) -> str:
        """The token of the page's forms."""
        status, page = self.request(path)
        start = page.find(FORM_TOKEN) + len(FORM_TOKEN)
        if status != 200 or start < len(FORM_TOKEN):
            raise RuntimeError(f"GET {path} answered {status} without a form token")
        return html.unescape(page[start : page.index('"', start)])


def add_editor(work: Path, env: dict[str, str]) -> None:
    command = cli_command(work, "user", "add", EDITOR, "--role", "editor", "--password-stdin")
    added = subprocess.run(command, input=PASSWORD + "\n", capture_output=True, text=True,
                           env=env, check=False)  # fmt: skip
    if added.returncode != 0:
        raise RuntimeError(f"testimony user add failed: {added.stderr.strip()[-1500:]}")


def signed_in(base: str) -> Browser:
    browser = Browser(base)
    form = {"name": EDITOR, "password": PASSWORD, "csrf": browser.form_token("/sign-in")}
    status, page = browser.request("/sign-in", form)
    if status != 303 or not any(cookie.name == "session" for cookie in browser.cookies):
        raise RuntimeError(f"POST /sign-in answered {status} without a session: {page[-500:]}")
    return browser


def leaf_abuse_types(work: Path, env: dict[str, str]) -> list[str]:
    """The abuse types under a broader one (indented in the command's list)."""
    listed = run_measured(cli_command(work, "vocabulary", "abuse-types"), env)
    checked("testimony vocabulary abuse-types", listed)
    return [line.split()[0] for line in listed.stdout.splitlines()
            if line.startswith(" ") and line.strip()]  # fmt: skip


def untagged_paragraph(document: Document, abuse_type: str) -> int | None:
    """A paragraph that search would not list under the abuse type (None: none such, or
    a document this measurement leaves alone)."""
    if (document.access != "public" or document.redactions or '"' in document.title
            or abuse_type in document.all_tags().abuse_types):  # fmt: skip
        return None
    for paragraph in document.paragraphs:
        segment = document.segments.get(paragraph.number)
        if segment is None or abuse_type not in segment.tags.union(segment.suggested).abuse_types:
            return paragraph.number
    return None


def listed(body: bytes) -> tuple[int, set[tuple[str, int]]]:
    """The total and the (document, paragraph) pairs of an /api/search answer."""
    found: dict[str, Any] = json.loads(body)
    return int(found["total"]), {(hit["doc"], hit["para"]) for hit in found["results"]}


def fits(target: Target, bases: dict[str, str]) -> bool:
    """Every server answers the target's search, with fewer than a page, not listing it."""
    for base in bases.values():
        status, body, _ms = fetch(base + target.search(), timeout=30)
        if status != 200:
            raise RuntimeError(f"{base}{target.search()} answered {status}: {body[-500:]!r}")
        total, hits = listed(body)
        if total >= PAGE or (target.doc, target.para) in hits:
            return False
    return True


def pick(
    archive: Archive, paths: list[Path], abuse_type: str, start: int, bases: dict[str, str]
) -> Target:
    for path in (paths[(start + step) % len(paths)] for step in range(CANDIDATES)):
        document = archive.load(path)
        para = untagged_paragraph(document, abuse_type)
        if para is not None:
            target = Target(document.id, para, abuse_type, document.title)
            if fits(target, bases):
                return target
    raise RuntimeError(f"no paragraph to tag {abuse_type} among {CANDIDATES} documents")


def first_listed(base: str, target: Target, since: float) -> dict[str, Any]:
    """Ask the server for the target's search every POLL_S until it lists the target:
    the seconds from `since` to the answer that did (None: not within FOUND_TIMEOUT_S),
    that search's own milliseconds and when it was sent, and how many were asked."""
    asked, status = 0, 0
    while True:
        sent = time.perf_counter()
        status, body, ms = fetch(base + target.search(), timeout=FOUND_TIMEOUT_S)
        answered = time.perf_counter()
        asked += 1
        if status == 200 and (target.doc, target.para) in listed(body)[1]:
            return {"found_after_s": round(answered - since, 3), "search_ms": round(ms, 1),
                    "sent_after_s": round(sent - since, 3), "asked": asked}  # fmt: skip
        if answered - since > FOUND_TIMEOUT_S:
            return {"found_after_s": None, "asked": asked, "last_status": status}
        time.sleep(max(0.0, sent + POLL_S - time.perf_counter()))


def replayed(primary: Connection, replica: Connection, since: float) -> float | None:
    """Seconds from `since` until the replica has replayed the primary's WAL as it
    stands now (which holds the edit: an upper bound of the edit's own replay), asked
    every REPLAY_POLL_S (None: not within FOUND_TIMEOUT_S)."""
    row = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()
    assert row is not None  # one row, always
    while True:
        done = replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", row).fetchone()
        at = time.perf_counter() - since
        if done is not None and done[0]:
            return round(at, 4)
        if at > FOUND_TIMEOUT_S:
            return None
        time.sleep(REPLAY_POLL_S)


def one_tag_edit(
    editor: Browser,
    target: Target,
    bases: dict[str, str],
    connections: tuple[Connection, Connection],  # the primary, the replica
) -> dict[str, Any]:
    page = f"/documents/{quote(target.doc)}"
    form = {"csrf": editor.form_token(page), "action": "add", "para": str(target.para),
            "value": target.abuse_type}  # fmt: skip
    with ThreadPoolExecutor(max_workers=len(bases) + 1) as pool:
        posted = time.perf_counter()
        status, answer = editor.request(f"{page}/tags", form)
        answered = time.perf_counter()
        if status != 303:
            raise RuntimeError(f"POST {page}/tags answered {status}: {answer[-500:]}")
        replay = pool.submit(replayed, *connections, answered)
        asking = {name: pool.submit(first_listed, base, target, answered)
                  for name, base in bases.items()}  # fmt: skip
        found = {name: future.result() for name, future in asking.items()}
    return {"doc": target.doc, "para": target.para, "abuse_type": target.abuse_type,
            "post_s": round(answered - posted, 3), "replica_replayed_s": replay.result(),
            **found}  # fmt: skip


def tag_edit_to_searchable(
    work: Path, database: Database, bases: dict[str, str], repeat: int
) -> dict[str, Any]:
    """`repeat` tag edits through the form of server A (bases["a"]), one after the
    other: per server the median and the worst time to found, and how many it did not
    find (a server that missed one has no time figures); and the replica's replay."""
    env = database.primary_env()
    add_editor(work, env)
    editor = signed_in(bases["a"])
    types = leaf_abuse_types(work, env)
    archive = Archive(work / "archive")
    # The size's own documents (not those the benchmark imported: bench-fresh-…).
    paths = [path for path in archive.paths() if not path.stem.startswith("bench-")]
    runs = []
    with database.connect() as primary, database.connect(replica=True) as replica:
        for turn in range(repeat):
            abuse_type = types[turn * TYPE_STRIDE % len(types)]
            target = pick(archive, paths, abuse_type, turn * len(paths) // repeat, bases)
            runs.append(one_tag_edit(editor, target, bases, (primary, replica)))
    result: dict[str, Any] = {"repeat": repeat, "poll_s": POLL_S, "timeout_s": FOUND_TIMEOUT_S}
    for name in bases:
        times = [run[name]["found_after_s"] for run in runs]
        seen = [value for value in times if value is not None]
        first = sum(run[name]["asked"] == 1 and run[name]["found_after_s"] is not None
                    for run in runs)  # fmt: skip
        result[name] = {"missed": len(times) - len(seen), "found_by_first_search": first}
        if seen and len(seen) == len(times):
            searches = [run[name]["search_ms"] for run in runs]
            result[name] |= {"median_s": round(statistics.median(seen), 3),
                             "max_s": round(max(seen), 3),
                             "search_median_ms": round(statistics.median(searches), 1)}  # fmt: skip
    result["post_median_s"] = round(statistics.median(run["post_s"] for run in runs), 3)
    replays = [run["replica_replayed_s"] for run in runs]
    if None not in replays:
        result["replica_replayed"] = {"median_s": statistics.median(replays),
                                      "max_s": max(replays)}  # fmt: skip
    else:
        result["replica_replayed"] = {"missed": replays.count(None)}
    return result | {"runs": runs}
