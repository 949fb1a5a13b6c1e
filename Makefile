# Everything a fresh machine with Node and npm needs: `make test` installs the rest
# (Bun and Deno come from the npm registry as dev dependencies).
BIN := node_modules/.bin

.PHONY: all install build release test check e2e e2e-hydra demo bench clean

all: build

# Reinstall only when the lock file changed since the last install.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	scripts/build --single

release: install
	scripts/build

check: install
	$(BIN)/deno check src/ test/ scripts/

test: build check
	scripts/test

clean:
	rm -rf dist .cache/bench
