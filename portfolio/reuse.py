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
from .markdown import Document, MarkdownRenderer


class _Recorder(Problems):
    """Passes problems on to the build's list and remembers the warnings."""

    def __init__(self, parent: Problems) -> None:
        super().__init__()
        self.parent = parent

    def add(self, problem: SourceError, warning: bool) -> None:
        super().add(problem, warning)
        self.parent.add(problem, warning)


def _image_answer(image: PublishedImage) -> list[Any]:
    return [image.url, image.width, image.height, [dataclasses.astuple(v) for v in image.variants]]


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

    def render(self, doc: Document) -> str:
        key = key_of(
            "markdown", self.setting, str(doc.path), doc.source, doc.text, doc.first_line, doc.page_url,
            doc.lead_image,
        )  # fmt: skip
        entry = self.cache.get_json("markdown", key)
        if entry is not None and self._replay(entry):
            self.reused += 1
            return str(entry["html"])
        self.parsed += 1
        return self._render(doc, key)

    def _render(self, doc: Document, key: str) -> str:
        hooks = self.renderer.hooks
        asked: list[list[Any]] = []
        recorder = _Recorder(self.problems)

        def image(path: Path) -> PublishedImage:
            answer = self.images.request(path)
            asked.append(["image", str(path), _image_answer(answer)])
            return answer

        def file_url(path: Path) -> str:
            url = self.files.request(path)
            asked.append(["file", str(path), url])
            return url

        saved = hooks.image, hooks.file_url, hooks.problems
        hooks.image, hooks.file_url, hooks.problems = image, file_url, recorder
        try:
            html = self.renderer.render(doc)
        finally:
            hooks.image, hooks.file_url, hooks.problems = saved
        if not recorder.errors:  # a failed build is never remembered
            warnings = [dataclasses.astuple(w) for w in recorder.warnings]
            self.cache.put_json("markdown", key, {"html": html, "asked": asked, "warnings": warnings})
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


class PageCache:
    """Rendered pages by the digest of everything their template sees."""

    def __init__(self, cache: Cache, setting: str) -> None:
        self.cache = cache
        self.setting = setting  # templates, words, theme files and options, language
        self._memo: dict[int, tuple[object, str]] = {}  # views shared by many pages
        self.rendered = 0
        self.reused = 0

    def key(self, output: str, template: str, context: Mapping[str, Any]) -> str:
        text = json.dumps(context, default=self._plain, ensure_ascii=False, separators=(",", ":"))
        return key_of("page", self.setting, output, template, text)

    def get(self, key: str) -> bytes | None:
        path = self.cache.get("pages", key, "html")
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self.reused += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        self.rendered += 1
        self.cache.put("pages", key, "html", data)

    def _plain(self, obj: object) -> object:
        """A view as JSON: its type and its fields; big shared views once, as a digest."""
        if isinstance(obj, Markup):
            return str(obj)
        if isinstance(obj, dt.date):
            return obj.isoformat()
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            known = self._memo.get(id(obj))
            if known is not None and known[0] is obj:
                return known[1]
            plain = [type(obj).__name__, *(getattr(obj, f.name) for f in dataclasses.fields(obj))]
            if len(dataclasses.fields(obj)) > 8:  # a study, the site: shared by many pages
                digest = key_of(json.dumps(plain, default=self._plain, ensure_ascii=False))
                self._memo[id(obj)] = (obj, digest)
                return digest
            return plain
        raise TypeError(f"{type(obj).__name__} is not part of the template contract")


def setting_key(files: Iterable[Path], digest: Callable[[Path], str], *values: object) -> str:
    """The key of files (templates, theme files) and values every page depends on."""
    return key_of(sorted((str(f), digest(f)) for f in files), *values)
