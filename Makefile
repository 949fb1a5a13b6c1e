# A fresh machine needs only Node and npm: `make test` installs the rest (Bun and Deno
# come from the npm registry as dev dependencies).
BIN := node_modules/.bin

.PHONY: all install build release check test demo e2e e2e-hydra bench clean

all: build

# Reinstall only when package.json or the lock file changed since the last install.
# `npm install`, not `npm ci`: the registry here lacks deno's packages for other platforms,
# which the lock file then leaves out, and `npm ci` refuses a lock with optional gaps.
node_modules/.package-lock.json: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	scripts/build --single

release: install
	scripts/build

check: install
	$(BIN)/deno check src/ test/ scripts/

# Unit and process tests under Bun and Deno, including the compiled binary's.
test: build check
	scripts/test

# The main job: a local OpenID provider and `hydractl perform authorization-code`
# against it. ARGS=--no-open on a machine without a browser.
demo: build
	scripts/demo $(ARGS)

# The compiled binaries in Debian's Chromium against a real OpenID provider, gpg round
# trips, and the linux-x64 binary chrooted into a root filesystem without Node.
e2e: install
	scripts/e2e

# The same against real Ory Hydra (v2.3.0 and v1.8.5), built from the Go module proxy.
e2e-hydra: build
	scripts/e2e-hydra

bench: build
	scripts/bench-startup
	scripts/bench-create
	scripts/bench-perform
	scripts/bench-clients
	scripts/bench-tokens

clean:
	rm -rf dist
