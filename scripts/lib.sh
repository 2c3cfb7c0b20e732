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

# Azurite and Redocly CLI, pinned by package-lock.json; reinstalled only when the lock file changed.
npm_install() {
  command -v node >/dev/null 2>&1 || apt_install nodejs npm
  if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
    echo "Installing Azurite and Redocly CLI (npm ci)…"
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

# The settings run-local.sh fills with fresh random values when they are empty or still the sample's placeholder.
LOCAL_SECRETS=(OnCall__AdminKey OnCall__ReadKey OnCall__WebhookSecrets__Generic OnCall__WebhookSecrets__Alertmanager
  OnCall__WebhookSecrets__AzureMonitor OnCall__WebhookSecrets__Grafana)

# write_local_settings SAMPLE TARGET: TARGET (created from SAMPLE when absent) gets a fresh random value for each of
# LOCAL_SECRETS that is empty or a placeholder; values already set are kept. Prints the names it set.
write_local_settings() {
  node - "$1" "$2" "${LOCAL_SECRETS[@]}" <<'JS'
const fs = require('fs'), crypto = require('crypto');
const [sample, target, ...names] = process.argv.slice(2);
const settings = JSON.parse(fs.readFileSync(fs.existsSync(target) ? target : sample, 'utf8'));
settings.Values ??= {};
const set = names.filter(name => !settings.Values[name] || String(settings.Values[name]).startsWith('replace-with'));
for (const name of set) settings.Values[name] = crypto.randomBytes(24).toString('base64url');
if (set.length > 0 || !fs.existsSync(target)) fs.writeFileSync(target, JSON.stringify(settings, null, 2) + '\n');
if (set.length > 0) console.log(set.join(' '));
JS
}

# Prints $1 (default 1) distinct TCP ports free on 127.0.0.1 now, one a line.
free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map(s => new Promise(ok => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map(s => s.address().port).join("\n"));
      servers.forEach(s => s.close());
    });' "${1:-1}"
}

# The Azurite development account's connection string for Azurite on the given blob, queue and table ports.
azurite_connection_string() {
  local key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}
