# Finds every third-party library as an installed (Debian) package; pybind11 comes from PyPI.
# scripts/bootstrap.sh installs them. A missing one stops the configure step with its package name.
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.74 CONFIG REQUIRED COMPONENTS headers)        # libboost-graph-dev
find_package(TBB REQUIRED)                                           # libtbb-dev
find_package(RocksDB CONFIG REQUIRED)                                # librocksdb-dev
find_package(Eigen3 3.4 REQUIRED NO_MODULE)                          # libeigen3-dev
find_package(ICU REQUIRED COMPONENTS uc i18n)                        # libicu-dev
find_package(yaml-cpp REQUIRED)                                      # libyaml-cpp-dev
find_package(simdjson REQUIRED)                                      # libsimdjson-dev
find_package(absl REQUIRED)                                          # libabsl-dev
if(CREDITGRAPH_BUILD_TESTS)
  find_package(GTest REQUIRED)                                       # libgtest-dev libgmock-dev
endif()
if(CREDITGRAPH_BUILD_BENCH)
  find_package(benchmark REQUIRED)                                   # libbenchmark-dev
endif()

# Debian's static librocksdb.a is not position-independent, so it cannot go into the Python
# extension: link the shared library everywhere (cg::rocksdb).
if(TARGET RocksDB::rocksdb-shared)
  add_library(cg::rocksdb ALIAS RocksDB::rocksdb-shared)
else()
  add_library(cg::rocksdb ALIAS RocksDB::rocksdb)
endif()

# libcsv (libcsv-dev): RFC 4180 streaming parser, no CMake package of its own.
find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
find_library(CSV_LIBRARY csv REQUIRED)
add_library(cg::csv UNKNOWN IMPORTED)
set_target_properties(cg::csv PROPERTIES IMPORTED_LOCATION ${CSV_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${CSV_INCLUDE_DIR})

# xxHash (libxxhash-dev): fast non-cryptographic hashing for stable ids and blocking keys.
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
find_library(XXHASH_LIBRARY xxhash REQUIRED)
add_library(xxHash::xxhash UNKNOWN IMPORTED)
set_target_properties(xxHash::xxhash PROPERTIES IMPORTED_LOCATION ${XXHASH_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${XXHASH_INCLUDE_DIR})
