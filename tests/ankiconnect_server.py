"""A loopback AnkiConnect for the tests: the add-on's HTTP protocol (version 6) for the
actions `flashcards sync` uses, answered by a real `anki` Collection — never canned answers.

Requests are `{"action", "version", "params", "key"?}` and answers `{"result", "error"}`, as
FooSoft/anki-connect's README.md ("Sample Invocation") and actions/*.md describe them.
`failing[action] = message` makes that action answer with an error, as AnkiConnect does when
an action raises.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ankiutil import import_into


class AnkiConnectServer:
    def __init__(self, collection: Path) -> None:
        from anki.collection import Collection

        self.col = Collection(str(collection))
        self.lock = threading.Lock()
        self.failing: dict[str, str] = {}
        self.calls: list[str] = []
        self.actions: dict[str, Callable[..., Any]] = {
            "version": lambda: 6,
            "findNotes": lambda query: list(self.col.find_notes(query)),
            "notesInfo": self.notes_info,
            "getDecks": self.get_decks,
            "importPackage": self.import_package,
            "storeMediaFile": self.store_media_file,
            "deleteMediaFile": self.delete_media_file,
            "changeDeck": self.change_deck,
            "addTags": self.add_tags,
            "deleteNotes": self.delete_notes,
        }
        server = self
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        action = request.get("action", "")
        self.calls.append(action)
        if request.get("version") != 6:
            return {"result": None, "error": "this test server speaks version 6 only"}
        try:
            if action in self.failing:
                raise RuntimeError(self.failing[action])
            method = self.actions.get(action)
            if method is None:
                raise RuntimeError("unsupported action")
            with self.lock:
                return {"result": method(**request.get("params", {})), "error": None}
        except Exception as exc:  # as AnkiConnect: the exception's text is the error
            return {"result": None, "error": str(exc)}

    def notes_info(self, notes: list[int]) -> list[dict[str, Any]]:
        found = []
        for nid in notes:
            note = self.col.get_note(nid)
            model = note.note_type()
            assert model is not None
            fields = {
                f["name"]: {"value": note.fields[f["ord"]], "order": f["ord"]}
                for f in model["flds"]
            }
            cards = self.col.db.list("select id from cards where nid = ? order by ord", nid)
            found.append({
                "noteId": nid, "modelName": model["name"], "tags": note.tags,
                "fields": fields, "mod": note.mod, "cards": cards,
            })  # fmt: skip
        return found

    def get_decks(self, cards: list[int]) -> dict[str, list[int]]:
        decks: dict[str, list[int]] = {}
        for cid in cards:
            decks.setdefault(self.col.decks.name(self.col.get_card(cid).did), []).append(cid)
        return decks

    def import_package(self, path: str) -> bool:
        # "the file path is relative to Anki's collection.media folder, not to the client"
        # (actions/miscellaneous.md): an absolute path stays itself.
        import_into(self.col, Path(self.col.media.dir()) / path)
        return True

    def store_media_file(
        self, filename: str, data: str | None = None, path: str | None = None,
        deleteExisting: bool = True,
    ) -> str:  # fmt: skip
        """actions/media.md: base64 `data` (or a `path`) stored under `filename`; returns the
        name it was stored under."""
        import base64

        content = base64.b64decode(data) if data is not None else Path(str(path)).read_bytes()
        target = Path(self.col.media.dir()) / filename
        if target.exists() and not deleteExisting:
            raise RuntimeError("this test server always replaces")
        target.write_bytes(content)
        return filename

    def delete_media_file(self, filename: str) -> None:
        (Path(self.col.media.dir()) / filename).unlink(missing_ok=True)

    def change_deck(self, cards: list[int], deck: str) -> None:
        self.col.set_deck(cards, self.col.decks.id(deck))

    def add_tags(self, notes: list[int], tags: str) -> None:
        self.col.tags.bulk_add(notes, tags)

    def delete_notes(self, notes: list[int]) -> None:
        self.col.remove_notes(notes)

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.col.close()


def _handler(server: AnkiConnectServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            reply = json.dumps(server.answer(json.loads(body))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
