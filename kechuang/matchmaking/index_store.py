"""The matching indexes of the platform: one engine index per collection, persisted under
``<data folder>/index/<collection>``, kept in step with the database.

The database is the source of truth; an index is a cache of it. Before every search the store checks
a cheap generation stamp of the collection (count and latest change of the records it depends on)
and, when it moved, re-reads the eligible records and applies the difference — documents whose text
changed are replaced, records that stopped being eligible (withdrawn, deleted, unpublished) are
removed. So a change made by any process, web worker or command shows in the next search, and a
withdrawn achievement never appears. ``kechuang index rebuild`` rebuilds and saves from scratch.

Thread safety: one lock per collection around sync and search; the engine itself is safe for
concurrent searches.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from kechuang.engines.matchmaking import MatchIndex, SearchResult
from kechuang.market.models import Achievement, Demand, Expert
from kechuang.matchmaking.collections import COLLECTIONS, Collection

#: Models whose changes can change a collection's documents.
DEPENDS_ON = {
    "achievements": (Achievement,),
    "demands": (Demand,),
    "experts": (Expert, Achievement),
    "institutions": (Achievement, Demand),
    "enterprises": (Achievement, Demand),
}


def _generation(collection: Collection) -> str:
    """A stamp that changes whenever a record the collection depends on is added, changed or deleted."""
    parts = []
    models = (collection.model, *DEPENDS_ON.get(collection.name, ()))
    for model in dict.fromkeys(models):
        stamp = model.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        parts.append(f"{model.__name__}:{stamp['n']}:{stamp['last']}")
    return "|".join(parts)


def _digest(fields: dict[str, str]) -> str:
    return hashlib.sha1(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class IndexStore:
    """All collections' indexes of one data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._indexes: dict[str, MatchIndex] = {}
        self._digests: dict[str, dict[int, str]] = {}
        self._generations: dict[str, str] = {}
        self._locks = {name: threading.RLock() for name in COLLECTIONS}

    def path(self, name: str) -> Path:
        return self.root / name

    def _load(self, name: str) -> MatchIndex:
        if name not in self._indexes:
            path = self.path(name)
            try:
                index = MatchIndex.load(path)
                digests = json.loads((path / "digests.json").read_text(encoding="utf-8"))
                self._digests[name] = {int(k): v for k, v in digests.items()}
            except (FileNotFoundError, ValueError, json.JSONDecodeError):
                index = MatchIndex()
                self._digests[name] = {}
            self._indexes[name] = index
        return self._indexes[name]

    def sync(self, name: str, progress: Callable[[int], None] | None = None) -> int:
        """Bring collection ``name`` in step with the database; returns the number of documents
        added, changed or removed."""
        collection = COLLECTIONS[name]
        with self._locks[name]:
            index = self._load(name)
            generation = _generation(collection)
            if self._generations.get(name) == generation:
                return 0
            known = self._digests[name]
            seen: dict[int, str] = {}
            changes = 0
            with index.batch():
                for obj in collection.eligible().iterator(chunk_size=500):
                    fields = collection.document(obj)
                    digest = _digest(fields)
                    seen[obj.pk] = digest
                    if known.get(obj.pk) != digest:
                        index.upsert(obj.pk, fields)
                        changes += 1
                    if progress:
                        progress(1)
                for stale in set(known) - set(seen):
                    index.remove(stale)
                    changes += 1
            self._digests[name] = seen
            self._generations[name] = generation
            return changes

    def save(self, name: str) -> None:
        with self._locks[name]:
            index = self._load(name)
            index.save(self.path(name))
            (self.path(name) / "digests.json").write_text(json.dumps(self._digests[name]), encoding="utf-8")

    def rebuild(self, name: str, progress: Callable[[int], None] | None = None) -> int:
        """Drop collection ``name``'s index, build it again from the database and save it."""
        with self._locks[name]:
            self._indexes[name] = MatchIndex()
            self._digests[name] = {}
            self._generations.pop(name, None)
            count = self.sync(name, progress)
            self.save(name)
            return count

    def search(self, name: str, query: dict[str, str], top_k: int, allowed_ids: Iterable[int] | None,
               exclude_ids: Iterable[int] = ()) -> list[SearchResult]:
        """Ranked candidates of collection ``name`` for a query (fields as the documents have)."""
        changed = self.sync(name)
        with self._locks[name]:
            if changed and not self.path(name).exists():
                self.save(name)
            return self._indexes[name].search(query, top_k, allowed_ids=allowed_ids, exclude_ids=exclude_ids)

    def __len__(self) -> int:
        return sum(len(i) for i in self._indexes.values())


_store: IndexStore | None = None
_store_lock = threading.Lock()


def store() -> IndexStore:
    """The process's index store (created on first use, under ``KECHUANG_VAR_DIR/index``)."""
    global _store
    with _store_lock:
        root = Path(getattr(settings, "KECHUANG_INDEX_DIR", settings.VAR_DIR / "index"))
        if _store is None or _store.root != root:
            _store = IndexStore(root)
        return _store


def reset_store() -> None:
    """Forget the loaded indexes (tests; after restoring a database)."""
    global _store
    with _store_lock:
        _store = None


