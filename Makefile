# Two commands: `make start` (set up, then run the server + playground) and `make test` (set up, then run every check).
SHELL := /bin/bash
.DEFAULT_GOAL := start

# Debian packages the service needs: a font for chart text (without one, labels vanish silently),
# bubblewrap and Debian's Python stack for the code sandbox, Chromium for the browser tests, and
# python3-requests for the DataStoryBot client compatibility test.
APT_PACKAGES := fonts-dejavu-core python3 python3-requests bubblewrap \
  python3-pandas python3-numpy python3-matplotlib python3-scipy python3-seaborn python3-statsmodels python3-sklearn \
  chromium

# better-sqlite3 compiles against Node's headers; Debian ships them under /usr/include/node.
export npm_config_nodedir := $(if $(wildcard /usr/include/node/node.h),/usr,)

.PHONY: start test install apt-packages check eval bench clean web

# The playground page (web/src → web/dist, not committed): rebuilt when a web source changes.
WEB_SOURCES := web/index.html scripts/build-web.ts $(shell find web/src web/samples -type f 2>/dev/null)

install: apt-packages node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

apt-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

web/dist/index.html: node_modules/.package-lock.json $(WEB_SOURCES)
	node bin/run.js scripts/build-web.ts

web: web/dist/index.html

start: install web/dist/index.html
	npx datastory serve

test: install web/dist/index.html check
	npx vitest run

check:
	npx tsc -p .
	npx biome check .

eval: install
	npm run eval

bench: install
	npm run bench

clean:
	rm -rf node_modules data out test-results web/dist
