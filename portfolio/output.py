"""Write the output folder (and a PDF) safely: refuse dangerous targets, stage beside it,
swap atomically.

The new site is prepared in a sibling folder (`.NAME.new-PID`), files whose bytes are
unchanged are hard-linked from the current output, host files (.git, CNAME...) are carried
across, then two renames swap it in. A crash between the renames leaves both folders; the
next build finishes or undoes the swap, so the user always has a complete site.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import hashlib
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .errors import PortfolioError, UsageProblem

MARKER = ".portfolio-output"
MARKER_TEXT = b"This folder is written by `portfolio build`; it replaces everything here but host files.\n"
HOST_FILES = frozenset({".git", "CNAME", ".nojekyll", "_redirects", ".domains"})


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int
    swapped: bool


def check_output_folder(output: Path, site_root: Path) -> Path:
    """Refuse (exit 2) an output folder that could destroy the user's files."""
    out = Path(os.path.realpath(output))
    root = Path(os.path.realpath(site_root))
    # Resolved: content/ or static/ may be symlinks to folders elsewhere.
    content = Path(os.path.realpath(root / "content"))
    read = [Path(os.path.realpath(root / name)) for name in ("static", "templates", ".portfolio-cache")]
    home = Path(os.path.realpath(Path.home()))
    parent = out.parent
    why = ""
    if out == Path(out.anchor):
        why = "is the root of the file system"
    elif out == home:
        why = "is your home folder"
    elif out == root:
        why = "is the site folder itself"
    elif root.is_relative_to(out):
        why = "holds the site folder"
    elif out.is_relative_to(content) or content.is_relative_to(out):
        why = "is inside content/" if out.is_relative_to(content) else "holds content/"
    elif any(out.is_relative_to(folder) for folder in read):
        why = "is inside a folder the build reads"
    elif any(folder.is_relative_to(out) for folder in read):
        why = "holds a folder the build reads"  # the swap would delete it
    elif not parent.is_dir():
        why = f"would be created in {parent}, which is not an existing folder"
    elif not os.access(parent, os.W_OK | os.X_OK):
        why = f"would be created in {parent}, which is not writable"
    elif (out / "portfolio.yaml").exists():
        why = "holds a portfolio.yaml"
    elif out.is_dir() and not (out / MARKER).is_file():
        others = sorted(p.name for p in out.iterdir() if p.name not in HOST_FILES)
        if others:
            shown = ", ".join(others[:3]) + (" ..." if len(others) > 3 else "")
            why = (
                f"already exists and holds files that are not from portfolio ({shown}); "
                "empty it or choose another --output"
            )
    elif out.exists() and not out.is_dir():
        why = "is a file, not a folder"
    if why:
        raise UsageProblem(f"refusing to write the site to {output}: it {why}")
    return out


def check_output_outside(output: Path, folders: tuple[Path, ...], what: str = "the site") -> None:
    """Refuse (exit 2) an output (the site's folder, or `what` else: a PDF) inside a theme
    the build reads, or holding one: the site would copy itself into itself, the swap would
    delete the theme, or a file would land among the theme's."""
    out = Path(os.path.realpath(output))
    for folder in folders:
        real = Path(os.path.realpath(folder))
        if out.is_relative_to(real) or real.is_relative_to(out):
            where = "is inside" if out.is_relative_to(real) else "holds"
            raise UsageProblem(f"refusing to write {what} to {output}: it {where} the theme folder {folder}")


# The site's folders no file of ours is written into, besides the build's own output folder.
_SITE_FOLDERS = ("content", "static", "templates", "themes", "output", ".portfolio-cache")
_PDF_MAGIC = b"%PDF-"


def check_output_file(name: str, site_root: Path) -> Path:
    """Refuse (exit 2) a file to write a PDF to that could destroy the user's work: a
    folder, the site's portfolio.yaml or a file inside one of its folders or a built site,
    a file that is not a PDF (only an earlier export may be replaced), or one in a folder
    that does not exist or cannot be written. Returns the place written, its folder resolved
    (a link in that place is replaced, not followed)."""
    target = Path(os.path.abspath(name))
    parent = Path(os.path.realpath(target.parent))
    real = parent / target.name
    root = Path(os.path.realpath(site_root))
    why = ""
    if target.is_dir() or name.endswith(("/", os.sep)):  # abspath() drops the slash
        example = Path(name) / "portfolio.pdf"
        why = f"{'is' if target.is_dir() else 'names'} a folder; give the PDF's file name, e.g. {example}"
    elif real == root / "portfolio.yaml":
        why = "is the site's portfolio.yaml"
    elif folder := next((f for f in _SITE_FOLDERS if real.is_relative_to(_real(root / f))), None):
        where = "is" if real == _real(root / folder) else "is inside"
        why = f"{where} the site's {folder}/ folder"
    elif built := next((p for p in real.parents if (p / MARKER).is_file()), None):
        why = f"is inside {built}, a site built by portfolio, which the next build replaces"
    elif not parent.exists():
        why = f"would be written in {target.parent}, a folder that does not exist"
    elif not parent.is_dir():
        why = f"would be written in {target.parent}, which is not a folder"
    elif not os.access(parent, os.W_OK | os.X_OK):
        why = f"would be written in {target.parent}, which is not writable"
    elif target.exists() and not _is_pdf(target):
        why = "is a file that is not a PDF (only an earlier PDF is replaced); choose another name"
    if why:
        raise UsageProblem(f"refusing to write the PDF to {name}: it {why}")
    return real


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _is_pdf(path: Path) -> bool:
    """A regular file that starts as a PDF does: an earlier export, safe to replace."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a fifo would block, a device is not ours to write
        with open(path, "rb") as f:
            return f.read(len(_PDF_MAGIC)) == _PDF_MAGIC
    except OSError:
        return False


def write_file(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: into a new file beside it, then renamed over it,
    so a reader never sees half a file; the temporary file never stays behind."""
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            # O_EXCL: never a file already there; 0o666 less the umask, as any new file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as e:
            raise PortfolioError(f"could not write {target}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise PortfolioError(f"could not write {target}: {e.strerror or e}; nothing was changed") from e
        raise


@contextmanager
def build_lock(lock_file: Path, wait_seconds: float = 60) -> Iterator[None]:
    """Keep two builds of one site apart; the second waits, then gives up with a message."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PortfolioError(
                        "another build of this site is still running "
                        f"(lock: {lock_file}); try again when it ends"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def output_lock(out: Path, wait_seconds: float = 120) -> Iterator[None]:
    """Keep two builds that write into one output folder apart, whatever sites they come
    from: the lock is on the folder that holds it (where the new site is staged and the
    swap happens), so no lock file is left anywhere."""
    fd = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PortfolioError(
                        f"another build is writing into {out.parent} (its output folder or one beside it); "
                        "try again when it ends"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _siblings(out: Path, kind: str) -> list[Path]:
    # The name may hold glob characters (`--output 'x/*'`): escape it, then match exactly.
    exact = re.compile(rf"\.{re.escape(out.name)}\.{kind}-\d+")
    found = out.parent.glob(f".{glob.escape(out.name)}.{kind}-*")
    return sorted(p for p in found if exact.fullmatch(p.name))


def recover(out: Path) -> None:
    """Finish or undo a swap a crash interrupted; remove leftovers of killed builds."""
    if not out.exists():
        complete = [p for p in _siblings(out, "new") if (p / MARKER).is_file()]
        old = _siblings(out, "old")
        if complete:
            os.rename(complete[-1], out)  # the new site was ready: finish the swap
        elif old:
            os.rename(old[-1], out)  # undo: put the previous site back
    for leftover in _siblings(out, "new") + _siblings(out, "old"):
        shutil.rmtree(leftover, ignore_errors=True)


# Digest of anything in the output that is not a regular file we can read (symlinks,
# fifos...): never equals a sha256, so such an entry forces a swap and is dropped.
_NOT_A_FILE = "not-a-regular-file"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _digest_existing(path: Path, digest: Callable[[Path], str]) -> str:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return _NOT_A_FILE  # never opened: a fifo would block, a link may point anywhere
        return digest(path)
    except OSError:
        return _NOT_A_FILE


def _current(
    out: Path, skip: frozenset[str], digest: Callable[[Path], str]
) -> tuple[dict[str, str], set[str]]:
    """{rel: digest} and folders of the current output, without top-level `skip` names and our marker."""
    files: dict[str, str] = {}
    folders: set[str] = set()
    if not out.is_dir():
        return files, folders
    for dirpath, dirnames, filenames in os.walk(out):
        rel_dir = Path(dirpath).relative_to(out)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if d not in skip]
            filenames = [f for f in filenames if f not in skip and f != MARKER]
        for name in list(dirnames):
            rel = (rel_dir / name).as_posix()
            if os.path.islink(os.path.join(dirpath, name)):
                files[rel] = _NOT_A_FILE  # a linked folder: the link goes, its target stays
                dirnames.remove(name)
            else:
                folders.add(rel)
        for name in filenames:
            files[(rel_dir / name).as_posix()] = _digest_existing(Path(dirpath) / name, digest)
    return files, folders


def _safe_rel(rel: str) -> str:
    parts = rel.split("/")
    if (
        not rel
        or rel.startswith("/")
        or any(p in ("", ".", "..") for p in parts)
        or "\\" in rel
        or "\0" in rel
    ):
        raise PortfolioError(f"internal error: unsafe output path {rel!r}")
    return rel


def _folders_of(rels: dict[str, str]) -> set[str]:
    folders: set[str] = set()
    for rel in rels:
        parts = rel.split("/")[:-1]
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return folders


def write_site(
    out: Path, files: dict[str, bytes | Path], digest: Callable[[Path], str] = _digest
) -> WriteResult:
    """Make `out` hold exactly `files` (plus host files), atomically; skip if nothing changed.

    `digest` may remember files' digests by size, time and inode (cache.FileDigests), so an
    unchanged output folder is compared without reading it."""
    new_digests = {
        _safe_rel(rel): hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else digest(data)
        for rel, data in files.items()
    }
    # A host name the new site provides itself (static/CNAME) is the site's, not the host's;
    # so is one the last build provided: deleted from static/, it goes from the output too.
    provided = frozenset(
        name
        for name in HOST_FILES
        if name in new_digests or any(rel.startswith(name + "/") for rel in new_digests)
    )
    carried = HOST_FILES - provided - _provided_before(out)
    old_digests, old_folders = _current(out, carried, digest)
    marker = MARKER_TEXT + b"provided: " + ",".join(sorted(provided)).encode() + b"\n"
    if _read_marker(out) == marker and old_digests == new_digests and old_folders == _folders_of(new_digests):
        return WriteResult(0, len(files), 0, swapped=False)

    stage = out.parent / f".{out.name}.new-{os.getpid()}"
    try:
        written, unchanged = _stage(out, stage, files, new_digests, old_digests, carried, marker)
        _check_complete(stage, files, carried)
        _swap(out, stage)
    except OSError as e:
        shutil.rmtree(stage, ignore_errors=True)
        reason = e.strerror or str(e)
        raise PortfolioError(f"could not write {out}: {reason}; the previous site is unchanged") from e
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    removed = len(set(old_digests) - set(files))
    return WriteResult(written, unchanged, removed, swapped=True)


def _stage(
    out: Path,
    stage: Path,
    files: dict[str, bytes | Path],
    new_digests: dict[str, str],
    old_digests: dict[str, str],
    host_names: frozenset[str],
    marker: bytes,
) -> tuple[int, int]:
    """Write the complete new site into `stage`; returns (written, hard-linked) counts."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    written = unchanged = 0
    for rel, data in sorted(files.items()):
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if old_digests.get(rel) == new_digests[rel]:
            try:
                os.link(out / rel, target)
                unchanged += 1
                continue
            except OSError:
                pass  # another file system or no hard links: copy instead
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            shutil.copyfile(data, target)
        written += 1
    for name in sorted(host_names):
        _carry_host_file(out / name, stage / name)
    (stage / MARKER).write_bytes(marker)  # last: marks the staged site complete
    return written, unchanged


def _read_marker(out: Path) -> bytes | None:
    try:
        return (out / MARKER).read_bytes()
    except OSError:
        return None


def _provided_before(out: Path) -> frozenset[str]:
    """The host file names the last build wrote from static/ (listed in our marker)."""
    for line in (_read_marker(out) or b"").decode("utf-8", "replace").splitlines():
        if line.startswith("provided:"):
            return frozenset(n for n in line[9:].strip().split(",") if n in HOST_FILES)
    return frozenset()


def _carry_host_file(source: Path, target: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    elif source.is_file():
        _link_or_copy(str(source), str(target))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _check_complete(stage: Path, files: dict[str, bytes | Path], host_names: frozenset[str]) -> None:
    """Never swap in a tree that is not the one staged: every file there, at its size."""
    found: dict[str, int] = {}
    for dirpath, dirnames, filenames in os.walk(stage):
        rel_dir = Path(dirpath).relative_to(stage)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if d not in host_names]
            filenames = [f for f in filenames if f not in host_names and f != MARKER]
        for name in filenames:
            found[(rel_dir / name).as_posix()] = os.lstat(os.path.join(dirpath, name)).st_size
    expected = {
        rel: len(data) if isinstance(data, bytes) else os.stat(data).st_size for rel, data in files.items()
    }
    if found != expected or not (stage / MARKER).is_file():
        missing = sorted(set(expected) - set(found))[:3]
        raise PortfolioError(
            f"internal error: the new site in {stage} is not complete ({len(found)} of {len(expected)} files"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + "); the previous site is unchanged"
        )


# renameat2(2) flag: swap two paths in one step (Linux 3.15+, most file systems).
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically where the platform can; False when it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False  # an old kernel or a file system without it: two renames instead
    raise OSError(err, os.strerror(err), str(a))


def _swap(out: Path, stage: Path) -> None:
    if not out.exists():
        os.rename(stage, out)
        return
    # One atomic step where the platform allows it: no moment without a complete output.
    if _exchange(stage, out):
        shutil.rmtree(stage, ignore_errors=True)  # the previous site, now at the staged name
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    try:
        os.rename(stage, out)
    except OSError:
        os.rename(old, out)  # put the previous site back before reporting
        raise
    shutil.rmtree(old, ignore_errors=True)
