#!/usr/bin/env bash
# Prepare this checkout to run or test mixdeck: the Debian packages it needs and
# a virtualenv in .venv with the project installed in editable mode.
#
#   scripts/bootstrap.sh run    # libportaudio2, libsndfile1; pip install -e .
#   scripts/bootstrap.sh test   # also chromium and jackd2; pip install -e .[test]
#
# Safe to run again: packages already installed are not touched, and pip runs
# only when pyproject.toml, this script or the Python interpreter changed.
# Needs no standard input. As root it installs system packages itself; as any
# other user it names the apt-get command to run and stops.
set -euo pipefail

mode="${1:-run}"
case "$mode" in
    run | test) ;;
    *)
        echo "usage: $0 [run|test]" >&2
        exit 2
        ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=.venv
export DEBIAN_FRONTEND=noninteractive

say() { echo "bootstrap: $*" >&2; }

# --- Python ---------------------------------------------------------------

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

find_python() {
    local candidate
    for candidate in python3.11 python3 python3.13 python3.12; do
        if command -v "$candidate" >/dev/null && python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if ! python=$(find_python); then
    say "mixdeck needs Python >= 3.11; none found (on Debian: apt-get install -y python3)"
    exit 1
fi

# --- System packages ------------------------------------------------------

packages=(libportaudio2 libsndfile1)
if [[ "$mode" == test ]]; then
    # chromium: the browser tests drive Debian's build through Playwright.
    # jackd2: the device tests play through a JACK dummy server they start.
    packages+=(chromium jackd2)
fi
# Debian's own Python ships venv and ensurepip in a separate package.
if [[ ! -x "$venv/bin/python" ]] && ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    packages+=("python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv")
fi

installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

if command -v dpkg-query >/dev/null; then
    missing=()
    for package in "${packages[@]}"; do
        installed "$package" || missing+=("$package")
    done
    if ((${#missing[@]})); then
        install=(apt-get install -y --no-install-recommends "${missing[@]}")
        if [[ $EUID -ne 0 ]]; then
            say "missing system packages; run: sudo apt-get update && sudo ${install[*]}"
            exit 1
        fi
        # Another apt or dpkg may be running; wait for its lock rather than fail.
        apt=(-o DPkg::Lock::Timeout=600)
        say "installing ${missing[*]}"
        if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
            apt-get "${apt[@]}" update -q
        fi
        if ! apt-get "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"; then
            # Stale package lists name files the mirror no longer has.
            apt-get "${apt[@]}" update -q
            apt-get "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
        fi
    fi
else
    say "no dpkg here: install these (or their equivalents) yourself: ${packages[*]}"
fi

# --- Virtualenv -----------------------------------------------------------

if [[ -d "$venv" ]] && ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    say "$venv is broken (its interpreter does not start); recreating it"
    rm -rf "$venv"
fi
if [[ ! -d "$venv" ]]; then
    say "creating $venv with $python"
    "$python" -m venv "$venv"
fi

stamp_key() {
    {
        cat pyproject.toml setup.py scripts/bootstrap.sh
        "$venv/bin/python" -c 'import sys; print(sys.version)'
        echo "$1"
    } | sha256sum | cut -d' ' -f1
}

stamp="$venv/.mixdeck-bootstrap-$mode"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$(stamp_key "$mode")" ]]; then
    exit 0
fi

if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    # A venv whose creation was interrupted has no pip.
    say "$venv has no pip; recreating it"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi

target=.
[[ "$mode" == test ]] && target=".[test]"
say "installing mixdeck ($target) into $venv"
# The editable install maps mixdeck.engine, mixdeck.service and mixdeck.web to
# the folders of this checkout, so modules added later import without a rerun.
"$venv/bin/python" -m pip install --disable-pip-version-check -q -e "$target"

stamp_key "$mode" >"$stamp"
if [[ "$mode" == test ]]; then
    # Everything `run` needs is a subset of what `test` installed.
    stamp_key run >"$venv/.mixdeck-bootstrap-run"
fi
