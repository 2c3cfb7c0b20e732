# Shared by scripts/run-local.sh and scripts/test.sh: install what a fresh machine lacks.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} (apt)…"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Azurite, pinned by package-lock.json; reinstalled only when the lock file changed.
npm_install() {
  command -v node >/dev/null 2>&1 || apt_install nodejs npm
  if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
    echo "Installing Azurite (npm ci)…"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.installed-lock.json
  fi
}

# Waits until something accepts TCP connections on 127.0.0.1:$1, for at most $2 seconds.
wait_for_port() {
  local port=$1 deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
