# The two commands of the README are `make demo` and `make test`; the rest are for developers.
# The build is plain CMake in build/dev; Python finds the package (and the _core extension that
# the build drops beside it) through PYTHONPATH. `make install` is the packaged route (pip).
PYTHON    ?= python3
BUILD_DIR ?= build/dev
JOBS      ?= 2
export PYTHONPATH := $(CURDIR)/bindings/python$(if $(PYTHONPATH),:$(PYTHONPATH))

.PHONY: demo test deps configure build test-slow bench stubs install format clean

demo: build          ## generate a province-like data set and run every stage into a RocksDB folder
	$(PYTHON) -m creditgraph demo --out build/demo

test: build          ## every default test: GoogleTest through ctest, then pytest (slow ones excluded)
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS) --no-tests=error
	$(PYTHON) -m pytest

deps:
	@bash scripts/bootstrap.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCREDITGRAPH_WERROR=ON \
	  -DPython_EXECUTABLE=$$(command -v $(PYTHON))

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

test-slow: build
	$(PYTHON) -m pytest -m slow

bench: build         ## kernel benchmarks and the side-by-side comparisons with peer tools
	bash bench/run_all.sh $(BUILD_DIR)

stubs: build         ## regenerate the type stubs of creditgraph._core (a test checks they are current)
	rm -rf bindings/python/creditgraph/_core
	$(PYTHON) -m pybind11_stubgen creditgraph._core -o bindings/python --ignore-all-errors

install: deps        ## the packaged route: builds the wheel with scikit-build-core, installs `creditgraph`
	$(PYTHON) -m pip install --no-build-isolation .

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build bindings/python/creditgraph/_core*.so
