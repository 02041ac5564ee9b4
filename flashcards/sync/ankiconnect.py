"""A running Anki as a sync target, through the AnkiConnect add-on's HTTP API (version 6).

Every request is `{"action", "version": 6, "params"[, "key"]}` and every answer
`{"result", "error"}` (FooSoft/anki-connect README.md, "Sample Invocation"). The actions used
are `version`, `findNotes`, `notesInfo`, `getDecks`, `storeMediaFile`, `importPackage`,
`deleteMediaFile`, `changeDeck`, `addTags` and `deleteNotes` (actions/miscellaneous.md, media.md,
notes.md, decks.md there). AnkiConnect does not expose GUIDs: plan.py matches its notes by their
fields.

`importPackage` reads a path "relative to Anki's collection.media folder, not to the client", so
the package is first sent into that folder (`storeMediaFile`, base64) and removed after the
import: an Anki on another computer, or one in a sandbox (Flatpak, Snap) that cannot read this
computer's build folder, imports it all the same.

Only a loopback address is used unless the user names the URL (`--anki-connect URL`): the
collection is not sent anywhere else by default.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..notetypes import FIELDS, KIND_OF_MODEL
from .target import TargetError, TargetNote

DEFAULT_URL = "http://127.0.0.1:8765"
_UPLOAD = "_flashcards-sync.apkg"  # the package, in Anki's media folder for the import
VERSION = 6
_TIMEOUT = 120.0  # seconds: importing a big package takes a while


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """AnkiConnect never redirects: following one could send the collection elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class AnkiConnectTarget:
    """`allow_remote`: the user named this URL (the CLI's `--anki-connect URL`); otherwise only
    a loopback address is used."""

    def __init__(
        self, url: str = DEFAULT_URL, key: str | None = None, *, allow_remote: bool = False
    ) -> None:
        self.url = url
        self.key = key
        self.allow_remote = allow_remote
        self.description = f"AnkiConnect at {url}"

    def call(self, action: str, **params: Any) -> Any:
        request: dict[str, Any] = {"action": action, "version": VERSION, "params": params}
        if self.key is not None:
            request["key"] = self.key
        body = json.dumps(request).encode()
        http = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        try:
            with _OPENER.open(http, timeout=_TIMEOUT) as answer:
                reply = json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise TargetError(f"AnkiConnect at {self.url} answered HTTP {exc.code}") from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TargetError(
                f"cannot reach AnkiConnect at {self.url} ({reason}): is Anki running with the "
                "AnkiConnect add-on?"
            ) from exc
        except ValueError as exc:
            raise TargetError(f"{self.url} did not answer as AnkiConnect does") from exc
        if not isinstance(reply, dict) or "result" not in reply or "error" not in reply:
            raise TargetError(f"{self.url} did not answer as AnkiConnect does")
        if reply["error"] is not None:
            raise TargetError(f"AnkiConnect refused {action}: {reply['error']}")
        return reply["result"]

    def open(self) -> None:
        if urlsplit(self.url).scheme not in ("http", "https"):
            raise TargetError(f"not an http(s) URL: {self.url}")
        if not self.allow_remote and not is_loopback(self.url):
            raise TargetError(
                f"{self.url} is not on this computer (a loopback address): name it with "
                "--anki-connect URL to sync there"
            )
        version = self.call("version")
        if not isinstance(version, int) or version < VERSION:
            raise TargetError(f"AnkiConnect at {self.url} speaks version {version}, not {VERSION}")

    def notes(self) -> list[TargetNote]:
        kind_of: dict[int, str] = {}
        for mid, kind in KIND_OF_MODEL.items():  # by id: a note type the user renamed is ours
            kind_of.update(dict.fromkeys(self.call("findNotes", query=f"mid:{mid}"), kind))
        infos = self.call("notesInfo", notes=list(kind_of)) if kind_of else []
        cids = [cid for info in infos if info for cid in info.get("cards", [])]
        deck_of: dict[int, str] = {}
        if cids:
            for deck, cards in self.call("getDecks", cards=cids).items():
                deck_of.update(dict.fromkeys(cards, deck))
        return [_note(info, kind_of[info["noteId"]], deck_of) for info in infos if info]

    def import_package(self, package: Path) -> None:
        data = base64.b64encode(package.read_bytes()).decode("ascii")
        # A leading underscore: Anki's "check media" never deletes it as unused meanwhile.
        stored = self.call("storeMediaFile", filename=_UPLOAD, data=data, deleteExisting=True)
        try:
            if self.call("importPackage", path=str(stored or _UPLOAD)) is not True:
                raise TargetError(f"AnkiConnect did not import {package}")
        finally:
            self.call("deleteMediaFile", filename=str(stored or _UPLOAD))

    def add_tags(self, nid: int, tags: list[str]) -> None:
        self.call("addTags", notes=[nid], tags=" ".join(tags))

    def move_cards(self, cids: list[int], deck: str) -> None:
        self.call("changeDeck", cards=cids, deck=deck)

    def delete_notes(self, nids: list[int]) -> None:
        self.call("deleteNotes", notes=nids)

    def close(self) -> None:
        pass


def _note(info: dict[str, Any], kind: str, deck_of: dict[int, str]) -> TargetNote:
    """A `notesInfo` entry: `fields` maps each name to `{"value", "order"}`; `mod` (seconds)
    is given by recent versions of AnkiConnect only."""
    fields = {name: info["fields"].get(name, {}).get("value", "") for name in FIELDS[kind]}
    cards = {cid: deck_of.get(cid, "") for cid in info.get("cards", [])}
    mod = info.get("mod")
    tags = list(info.get("tags", []))
    return TargetNote(
        info["noteId"], kind, fields, tags, None, mod if isinstance(mod, int) else None, cards
    )
