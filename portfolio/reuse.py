"""Never the same work twice: Markdown HTML and rendered pages kept under .portfolio-cache/.

A Markdown entry is keyed by the document and the site's link targets, and remembers what
its rendering asked of the build (each image and file, with the answer it got) and the
warnings it gave: it is reused only when every image and file still gets the same answer,
and then those requests and warnings are replayed, so the build is the same as if the
Markdown had been parsed. A page is keyed by everything its template sees (the views, the
body HTML), the templates themselves, the theme's words and files, and the tool's version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .cache import Cache, key_of
from .errors import Problems, SourceError
from .files import Files
from .images import ImageError, Images, PublishedImage
from .markdown import Document, Hooks, MarkdownRenderer
from .workers import shared, worker_count


class _Recorder(Problems):
    """Passes problems on to the build's list and remembers the warnings."""

    def __init__(self, parent: Problems) -> None:
        super().__init__()
        self.parent = parent

    def add(self, problem: SourceError, warning: bool) -> None:
        super().add(problem, warning)
        self.parent.add(problem, warning)


def _image_answer(image: PublishedImage) -> Any:
    """An image's answer as it reads back from JSON (lists, not tuples), to compare."""
    answer = [image.url, image.width, image.height, [dataclasses.astuple(v) for v in image.variants]]
    return json.loads(json.dumps(answer))


class CachedMarkdown:
    """MarkdownRenderer.render, remembered across builds."""

    def __init__(
        self,
        renderer: MarkdownRenderer,
        cache: Cache,
        images: Images,
        files: Files,
        problems: Problems,
        setting: str,
    ) -> None:
        self.renderer = renderer
        self.cache = cache
        self.images = images
        self.files = files
        self.problems = problems
        self.setting = setting  # the key of what every document depends on (link targets...)
        self.parsed = 0  # documents Markdown actually read, for tests and --timings
        self.reused = 0
        # Parsed ahead by prefetch: the entry, or None when it was stored in the cache.
        self._fetched: dict[str, dict[str, Any] | None] = {}

    def key(self, doc: Document) -> str:
        return key_of(
            "markdown", self.setting, str(doc.path), doc.source, doc.text, doc.first_line, doc.page_url,
            doc.lead_image, doc.language,
        )  # fmt: skip

    def prefetch(self, docs: list[Document], workers: int) -> None:
        """Parse, over several processes when there are many, the documents the cache lacks;
        each result is then replayed in this process as a cache entry is (same answers, same
        warnings, in the same order), so the site is the same whatever the workers."""
        missing = [
            (key, doc) for doc in docs if self.cache.get("markdown", key := self.key(doc), "json") is None
        ]
        count = worker_count(workers, len(missing), _BIG_ENOUGH)
        if count < 2:
            return
        hooks = self.renderer.hooks
        megapixels = self.images.max_pixels // 1_000_000
        setup = _Setup(hooks.content_dir, hooks.site_root, hooks.link_targets, megapixels, hooks.language)
        entries = shared(_parse, setup, [doc for _, doc in missing], count)
        for (key, _), entry in zip(missing, entries, strict=True):
            if entry is not None:
                self.cache.put_json("markdown", key, entry)
                # Held only when the cache is not read (--no-cache): a big site's HTML stays
                # out of memory.
                self._fetched[key] = None if self.cache.enabled else entry

    def render(self, doc: Document) -> str:
        key = self.key(doc)
        if key in self._fetched:  # parsed ahead by a worker: counted as parsed
            fetched = self._fetched.pop(key) or self.cache.get_json("markdown", key)
            if fetched is not None and self._replay(fetched):
                self.parsed += 1
                return str(fetched["html"])
        entry = self.cache.get_json("markdown", key)
        if entry is not None and self._replay(entry):
            self.reused += 1
            return str(entry["html"])
        self.parsed += 1
        html, entry = _record(self.renderer, self.images, self.files, self.problems, doc)
        if entry is not None:
            self.cache.put_json("markdown", key, entry)
        return html

    def _replay(self, entry: Any) -> bool:
        """Ask the build again what the rendering asked; False if any answer changed."""
        try:
            for kind, path, answer in entry["asked"]:
                if kind == "image":
                    if _image_answer(self.images.request(Path(path))) != answer:
                        return False
                elif kind != "file" or self.files.request(Path(path)) != answer:
                    return False
            warnings = [SourceError(*w) for w in entry["warnings"]]
            html = entry["html"]
        except (KeyError, TypeError, ValueError, ImageError):  # a damaged entry, or an image now unreadable
            return False
        if not isinstance(html, str):
            return False
        for warning in warnings:
            self.problems.add(warning, warning=True)
        return True


# Documents to parse before a second process pays for its start (about 0.5 s).
_BIG_ENOUGH = 150


def _record(
    renderer: MarkdownRenderer, images: Images, files: Files, problems: Problems, doc: Document
) -> tuple[str, dict[str, Any] | None]:
    """The HTML, and the cache entry: what the rendering asked of the build (each image and
    file, with its answer) and its warnings; no entry when it failed."""
    hooks = renderer.hooks
    asked: list[list[Any]] = []
    recorder = _Recorder(problems)

    def image(path: Path) -> PublishedImage:
        answer = images.request(path)
        asked.append(["image", str(path), _image_answer(answer)])
        return answer

    def file_url(path: Path) -> str:
        url = files.request(path)
        asked.append(["file", str(path), url])
        return url

    saved = hooks.image, hooks.file_url, hooks.problems
    hooks.image, hooks.file_url, hooks.problems = image, file_url, recorder
    try:
        html = renderer.render(doc)
    finally:
        hooks.image, hooks.file_url, hooks.problems = saved
    if recorder.errors:  # a failed rendering is never remembered
        return html, None
    warnings = [dataclasses.astuple(w) for w in recorder.warnings]
    return html, {"html": html, "asked": asked, "warnings": warnings}


@dataclasses.dataclass(frozen=True)
class _Setup:
    """What a worker process needs to render Markdown as the build does."""

    content_dir: Path
    site_root: Path
    link_targets: dict[Path, str]
    max_megapixels: int
    language: str


def _parse(setup: _Setup, docs: list[Document]) -> list[dict[str, Any] | None]:
    """Cache entries for `docs` (run in a worker process): its own images and files
    answer, and the build checks every answer again when it replays the entry."""
    problems = Problems()
    images = Images(Cache(setup.site_root, enabled=False), setup.max_megapixels)
    files = Files()
    hooks = Hooks(
        setup.content_dir, setup.site_root, setup.link_targets, images.request, files.request, problems,
        setup.language,
    )  # fmt: skip
    renderer = MarkdownRenderer(hooks)
    return [_record(renderer, images, files, problems, doc)[1] for doc in docs]


class PageCache:
    """Rendered pages by the digest of everything their template sees."""

    def __init__(self, cache: Cache, setting: str, spill: bool = False) -> None:
        self.cache = cache
        self.setting = setting  # templates, words, theme files and options, language
        self.spill = spill  # pages held as their cache files, not in memory
        self.rendered: list[str] = []  # outputs rendered by this build, for tests and --timings
        self.reused = 0

    def key(self, output: str, template: str, context: Mapping[str, Any]) -> str:
        return key_of("page", self.setting, output, template, self._print(dict(context)))

    def get(self, key: str) -> bytes | Path | None:
        path = self.cache.get("pages", key, "html")
        if path is None:
            return None
        self.reused += 1
        if self.spill:
            return path
        try:
            return path.read_bytes()
        except OSError:
            self.reused -= 1
            return None

    def put(self, key: str, data: bytes, output: str) -> bytes | Path:
        """Store a rendered page; returns what the site holds for it: with `spill`, the
        stored file (a build then keeps no page in memory), else the bytes (the preview)."""
        self.rendered.append(output)
        path = self.cache.put("pages", key, "html", data)
        return path if self.spill else data

    def _print(self, obj: object) -> str:
        """Everything a template can read of `obj`, as text: the type and the value of every
        field, down to the last string. A view with many fields (a study, the site), which
        many pages show, is printed once per build and stands as its digest after that."""
        kind = type(obj)
        if kind is str or kind is int or kind is float or kind is bool or obj is None:
            return repr(obj)
        if kind is Markup:
            return "M" + repr(str(obj))
        if kind is tuple or kind is list:
            return "[" + ",".join(map(self._print, obj)) + "]"  # type: ignore[call-overload]
        if kind is dict:
            items = obj.items()  # type: ignore[attr-defined]
            return "{" + ",".join(repr(k) + ":" + self._print(v) for k, v in items) + "}"
        names = _FIELDS.get(kind)
        if names is None:
            if isinstance(obj, dt.date | str | int | float):
                return kind.__name__ + repr(obj)
            if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
                raise TypeError(f"{kind.__name__} is not part of the template contract")
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(obj))
        known = _PRINTED.get(id(obj))
        if known is not None and known[0] is obj:
            return known[1]
        text = kind.__name__ + "(" + ",".join(self._print(getattr(obj, n)) for n in names) + ")"
        if len(names) > 8:  # a study, the site: shared by many pages
            text = key_of(text)
            if len(_PRINTED) >= _PRINTED_MAX:
                _PRINTED.clear()
            _PRINTED[id(obj)] = (obj, text)  # holding `obj` keeps its id from being reused
        return text


# Big views' digests, by identity (the object is held, so its id is never reused): per build,
# and across the preview's saves for the study views it keeps (pages.py).
_PRINTED: dict[int, tuple[object, str]] = {}
_PRINTED_MAX = 50_000

# The field names of each view type, read once (dataclasses.fields() is slow to call).
_FIELDS: dict[type, tuple[str, ...]] = {}


def setting_key(files: Iterable[Path], digest: Callable[[Path], str], *values: object) -> str:
    """The key of files (templates, theme files) and values every page depends on."""
    return key_of(sorted((str(f), digest(f)) for f in files), *values)
