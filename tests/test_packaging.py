"""Packaging: a lean core with extras, clear messages when an extra is missing, pinned CI installs,
and a wheel that works outside the checkout with the model it ships."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import CORPUS, ROOT, SPEECH
from textkit.extras import EXTRAS

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SAMPLE = CORPUS / "docs" / "01_city-economy-q1.txt"  # the README's sample speech
RUNTIME_EXTRAS = ("sql", "postgres", "excel", "http", "docs", "serve", "dask", "plot", "spacy")


def _requirements(extra: str | None = None) -> list[Requirement]:
    lines = PYPROJECT["dependencies"] if extra is None else PYPROJECT["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def _expanded(extra: str) -> set[str]:
    """Distribution names an extra installs, following ``textkit[other]`` references."""
    names: set[str] = set()
    for req in _requirements(extra):
        if canonicalize_name(req.name) == "textkit":
            for inner in req.extras:
                names |= _expanded(inner)
        else:  # dask[distributed] installs distributed too
            names |= {canonicalize_name(req.name), *(canonicalize_name(e) for e in req.extras)}
    return names


# --- what the core and the extras hold -----------------------------------------------------


def test_the_core_installs_no_optional_library() -> None:
    core = {canonicalize_name(r.name) for r in _requirements()}
    optional = {"spacy", "sqlalchemy", "openpyxl", "httpx", "python-docx", "pypdf", "lxml", "beautifulsoup4",
                "psycopg", "fastapi", "uvicorn", "dask", "distributed", "matplotlib", "jupyter"}
    assert not core & optional
    assert {"jieba", "scikit-learn", "pandas", "typer"} <= core


def test_every_extra_exists_all_gathers_them_and_dev_pulls_all() -> None:
    extras = PYPROJECT["optional-dependencies"]
    assert set(RUNTIME_EXTRAS) | {"all", "notebooks", "dev"} <= set(extras)
    assert _expanded("all") == set().union(*(_expanded(e) for e in RUNTIME_EXTRAS))
    assert "textkit[all]" in extras["dev"]
    assert "openpyxl" in _expanded("excel") and "httpx" in _expanded("http")
    assert {"python-docx", "pypdf", "lxml"} <= _expanded("docs")


def test_every_requirement_has_an_upper_bound() -> None:
    build_tools = {"setuptools", "wheel"}  # the wheel test builds with whatever is current
    lines = [*PYPROJECT["dependencies"], *(line for lines in PYPROJECT["optional-dependencies"].values() for line in lines)]
    unbounded = [
        line for line in lines
        if canonicalize_name(Requirement(line).name) not in build_tools | {"textkit"}
        and not any(spec.operator in {"<", "<=", "==", "~="} for spec in Requirement(line).specifier)
    ]
    assert not unbounded, f"add an upper bound (the next major version) to {unbounded}"


def test_each_optional_module_names_an_extra_that_installs_it() -> None:
    for module, (distribution, extra) in EXTRAS.items():
        assert canonicalize_name(distribution) in _expanded(extra), (module, extra)


# --- CI installs exactly the pinned versions, with the README's command --------------------


def test_the_readme_and_ci_run_the_same_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in re.findall(r"```bash\n(.*?)```", readme, flags=re.S) if "pytest" in line).strip()
    assert command == 'pip install -e ".[dev]" -c constraints.txt && python -m pytest -q'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command.replace("pip install -e", "pip install -q -e") in ci


def test_constraints_pin_every_package_the_dev_install_brings() -> None:
    sys.path.insert(0, str(ROOT / ".ci"))
    try:
        from freeze_constraints import closure  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / ".ci"))
    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, pin = line.partition("==")
            pinned[canonicalize_name(name)] = pin
    missing = sorted(set(closure("textkit", {"dev"})) - set(pinned))
    assert not missing, f"{missing} are not in constraints.txt: run python .ci/freeze_constraints.py"


# --- a missing extra is a one-line message naming it ---------------------------------------

_BLOCKED = """
import sys
blocked = set(sys.argv[1].split(","))

class Blocker:
    '''Makes the listed top-level modules uninstallable, as in an install without their extra.'''

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Blocker())
if sys.argv[2] == "-c":
    exec(sys.argv[3])
else:
    from textkit.cli import main
    sys.argv = ["textkit", *sys.argv[2:]]
    main()
"""


def _run_without(modules: set[str] | str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    blocked = modules if isinstance(modules, str) else ",".join(sorted(modules))
    return subprocess.run([sys.executable, "-c", _BLOCKED, blocked, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize(
    ("module", "args", "extra"),
    [
        ("openpyxl", ["extract", "{tmp}/speech.txt", "--to", "{tmp}/台账.xlsx"], "excel"),
        ("sqlalchemy", ["extract", "{tmp}/speech.txt", "--to", "sqlite:///{tmp}/ledger.db"], "sql"),
        ("psycopg", ["extract", "{tmp}/speech.txt", "--to", "postgresql://textkit@127.0.0.1:9/none"], "postgres"),
        ("httpx", ["extract", "{tmp}/speech.txt", "--to", "https://ledger.example.invalid/api"], "http"),
        ("docx", ["extract", "{tmp}/speech.docx"], "docs"),
        ("pypdf", ["extract", "{tmp}/speech.pdf"], "docs"),
        ("lxml", ["extract", "{tmp}/speech.html"], "docs"),
        ("fastapi", ["serve"], "serve"),
        ("distributed", ["bulk", "{tmp}/speech.txt", "--to", "{tmp}/ledger.csv", "--engine", "dask", "-q"], "dask"),
        ("spacy", ["-c", "import textkit; textkit.nlp()"], "spacy"),
        ("matplotlib", ["-c", "from textkit import plot"], "plot"),
    ],
)
def test_a_missing_extra_says_what_to_install(tmp_path: Path, module: str, args: list[str], extra: str) -> None:
    for name in ("speech.docx", "speech.pdf", "speech.html", "speech.txt"):
        (tmp_path / name).write_text(SPEECH, encoding="utf-8")  # short: the ledger fails after extracting it
    args = [a.format(tmp=tmp_path) for a in args]
    proc = _run_without(module, *args, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert f'pip install "textkit[{extra}]"' in proc.stderr, proc.stderr
    if args[0] != "-c":  # the command line says it in one line, without a traceback
        assert "Traceback" not in proc.stderr, proc.stderr


def test_the_core_alone_extracts_a_plain_text_speech(tmp_path: Path) -> None:
    # extracting needs no extra, nor scikit-learn, scipy or numpy (the model is plain data)
    bare = _run_without(set(EXTRAS) | {"sklearn", "scipy", "numpy", "joblib"},
                        "extract", str(SAMPLE), "--ref-date", "2024-04-18", cwd=tmp_path)
    assert bare.returncode == 0, bare.stderr
    assert "WARNING" not in bare.stderr
    tasks = json.loads(bare.stdout)["tasks"]
    assert tasks
    # and a CSV ledger is a core one
    seeded = _run_without(set(EXTRAS), "extract", str(SAMPLE), "--ref-date", "2024-04-18",
                          "--to", str(tmp_path / "ledger.csv"), cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    assert (tmp_path / "ledger.csv").read_text(encoding="utf-8-sig").count("\n") > len(tasks)


# --- the wheel, installed outside the checkout ---------------------------------------------


def _build_wheel(tmp_path: Path) -> Path:
    """``pip wheel`` of a copy of the package sources (no build isolation: nothing is downloaded)."""
    if Version(version("setuptools")) < Version("68"):
        pytest.skip("setuptools>=68 is needed to build without isolation: pip install -e '.[dev]'")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "textkit", source / "textkit", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(dist),
         str(source)],
        check=True, capture_output=True, text=True, timeout=300,
        env={**os.environ, "TEXTKIT_PURE_BUILD": "1"},  # the pure fallback; tests/test_compiled.py checks the compiled build
    )
    [wheel] = dist.glob("textkit-*.whl")
    return wheel


@pytest.mark.slow
def test_the_wheel_installed_outside_the_checkout_extracts_as_the_checkout_does(tmp_path: Path) -> None:
    from zipfile import ZipFile

    from textkit.io import read_path
    from textkit.pipeline import extract

    wheel = _build_wheel(tmp_path)
    members = set(ZipFile(wheel).namelist())
    assert {"textkit/models/directive.json", "textkit/models/MODEL_CARD.md", "textkit/_native.py"} <= members
    assert not any(m.endswith(".so") or m.endswith("_compiled.json") for m in members)  # TEXTKIT_PURE_BUILD=1
    # a fresh environment; the dependencies come from this one (no download), textkit from the wheel
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python, script = env_dir / "bin" / "python", env_dir / "bin" / "textkit"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)] if _pip_has_python_option() else
                   [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--target", str(_site_packages(python)), str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(SAMPLE, work / SAMPLE.name)
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}

    where = subprocess.run([str(python), "-c", "import textkit, textkit.model as m; print(textkit.__file__); print(m.MODEL_PATH)"],
                           capture_output=True, text=True, cwd=work, env=clean_env, check=True).stdout.split()
    assert all(Path(p).resolve().is_relative_to(env_dir.resolve()) for p in where), where

    model = subprocess.run([str(script), "model", "--json"], capture_output=True, text=True, cwd=work, env=clean_env)
    assert model.returncode == 0, model.stderr
    status = json.loads(model.stdout)
    assert status["loaded"] and Path(status["path"]).resolve().is_relative_to(env_dir.resolve())

    proc = subprocess.run([str(script), "extract", SAMPLE.name, "--ref-date", "2024-04-18"], capture_output=True,
                          text=True, cwd=work, env=clean_env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr  # the shipped model, not the rule fallback
    expected = extract(read_path(SAMPLE), ref_date="2024-04-18", source=SAMPLE.name).to_dict()
    assert json.loads(proc.stdout) == json.loads(json.dumps(expected, ensure_ascii=False))


def _pip_has_python_option() -> bool:
    """pip 22.3+ installs into another interpreter's environment with ``--python``."""
    from pip import __version__ as pip_version

    return Version(pip_version) >= Version("22.3")


def _site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return Path(out)
