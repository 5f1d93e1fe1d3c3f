// Tests for core/ingest: the catalog refusals, the readers (BOM, quoted fields, embedded
// newlines, last line without newline, GB18030, JSONL), validation and quarantine reasons, the
// Art. 42 guard, accounting, idempotent re-ingest and incremental updates. Fixtures:
// tests/fixtures/ingest (written by make_fixtures.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include <unicode/ucnv.h>

#include "absl/strings/str_cat.h"
#include "core/date.h"
#include "core/ingest/catalog.h"
#include "core/ingest/fields.h"
#include "core/ingest/ingest.h"
#include "core/ingest/rows.h"
#include "core/ingest/validate.h"
#include "core/store/record_codec.h"
#include "core/store/store.h"

namespace cg::core::ingest {
namespace {
namespace fs = std::filesystem;

std::string Fixture(const std::string& name) {
  const char* root = std::getenv("CG_SOURCE_DIR");
  return (fs::path(root ? root : ".") / "tests/fixtures/ingest" / name).string();
}

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("cg_ingest_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_);
    db_ = (base_ / "db").string();
  }
  void TearDown() override { fs::remove_all(base_); }

  std::unique_ptr<store::Store> Reader() {
    auto store = store::Store::Open(db_, {.read_only = true});
    EXPECT_TRUE(store.ok()) << store.status();
    return std::move(*store);
  }
  std::map<std::string, store::QuarantineEntry> Quarantined(const std::string& source) {
    std::map<std::string, store::QuarantineEntry> entries;
    auto store = Reader();
    EXPECT_TRUE(store->ForEachQuarantine(source, [&](const store::QuarantineEntry& entry) {
      entries[entry.rid.empty() ? "<row " + std::to_string(entry.seq) + ">" : entry.rid] = entry;
      return true;
    }).ok());
    return entries;
  }
  std::optional<Record> Get(RecordKind kind, const std::string& source, const std::string& rid) {
    auto store = Reader();
    auto record = store->GetRecord(kind, source, rid);
    EXPECT_TRUE(record.ok()) << record.status();
    return record.ok() ? *record : std::nullopt;
  }

  fs::path base_;
  std::string db_;
};

// ------------------------------------------------------------------------------ catalog

TEST(Catalog, RefusesEachBadCatalogWithItsReason) {
  const std::map<std::string, std::string> expected = {
      {"unknown_kind", "kind 'lottery' is not one of"},
      {"missing_file", "does not exist"},
      {"duplicate_id", "duplicate source id 'a'"},
      {"bad_id", "must match [a-z0-9_]+"},
      {"unknown_format", "format 'xlsx'"},
      {"unknown_encoding", "encoding 'big5'"},
      {"unknown_column_field", "'subject_colour' is not a canonical field"},
      {"bad_yaml", "not valid YAML"},
  };
  for (const auto& [name, message] : expected) {
    auto catalog = LoadCatalog(Fixture("bad_catalogs/" + name));
    ASSERT_FALSE(catalog.ok()) << name;
    EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_NE(catalog.status().message().find(message), std::string::npos)
        << name << ": " << catalog.status().message();
  }
  EXPECT_EQ(LoadCatalog(Fixture("no_such_folder")).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(IngestTest, RefusedCatalogWritesNothing) {
  auto report = IngestDataset(Fixture("bad_catalogs/missing_file"), db_);
  ASSERT_FALSE(report.ok());
  EXPECT_FALSE(fs::exists(db_));
}

TEST(Catalog, ReadsTheGoodCatalog) {
  auto catalog = LoadCatalog(Fixture("good"));
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->name, "ingest-good");
  EXPECT_EQ(catalog->as_of, *MakeDate(2026, 6, 30));
  ASSERT_EQ(catalog->sources.size(), 4u);
  EXPECT_EQ(catalog->sources[1].format, Format::kJsonl);
  EXPECT_EQ(catalog->sources[2].encoding, Encoding::kGb18030);
  EXPECT_EQ(catalog->sources[0].columns.size(), 2u);
}

// ------------------------------------------------------------------------------ readers

std::vector<std::map<std::string, std::string>> ReadAll(const SourceSpec& spec,
                                                        std::size_t batch_rows,
                                                        std::vector<std::string>* malformed) {
  auto reader = OpenRowReader(spec);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<std::map<std::string, std::string>> rows;
  RowBatch batch;
  while (true) {
    auto more = (*reader)->Next(batch, batch_rows);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    for (std::size_t row = 0; row < batch.rows(); ++row) {
      std::map<std::string, std::string> cells;
      for (auto index = batch.row_begin[row]; index < batch.row_begin[row + 1]; ++index) {
        cells[(*batch.columns)[batch.cells[index].column]] =
            std::string(batch.value(batch.cells[index]));
      }
      rows.push_back(cells);
    }
    for (const auto& [row, reason] : batch.malformed) {
      if (malformed) malformed->push_back(reason);
    }
  }
  return rows;
}

TEST(Readers, CsvWithBomQuotesNewlinesAndNoFinalNewline) {
  auto catalog = LoadCatalog(Fixture("good"));
  ASSERT_TRUE(catalog.ok());
  for (std::size_t batch_rows : {1u, 2u, 1000u}) {
    std::vector<std::string> malformed;
    auto rows = ReadAll(catalog->sources[0], batch_rows, &malformed);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_TRUE(malformed.empty());
    EXPECT_EQ(rows[0].at("rid"), "R1");  // the BOM is not part of the first column's name
    EXPECT_EQ(rows[0].at("企业名称"), "济南鲁信商贸有限公司, 分公司");
    EXPECT_EQ(rows[0].at("备注"), "说\"明");
    EXPECT_EQ(rows[1].at("企业名称"), "青岛海港物流有限公司\n(多行名称)");
    EXPECT_EQ(rows[3].at("rid"), "R4");  // the last line has no newline
    EXPECT_EQ(rows[3].at("est_date"), "2016年8月5日");
    for (const auto& row : rows) EXPECT_FALSE(row.contains("宗教信仰"));  // Art. 42
  }
}

TEST(ColumnPlan, OneColumnPerFieldTheMappedOneElseTheFirst) {
  SourceSpec spec;
  spec.id = "reg";
  spec.kind = RecordKind::kRegistry;
  spec.columns = {{"subject_name", "名称"}};
  ColumnPlan plan(spec);
  const std::vector<std::string> names = {"rid", "subject_name", "名称", "party_name",
                                          "party_name", "status", "其他"};
  const std::vector<std::uint8_t> fields = plan.ResolveHeader(names);
  ASSERT_EQ(fields.size(), names.size());
  EXPECT_EQ(fields[1], kAttrField);                        // canonical name, but 名称 is mapped
  EXPECT_EQ(fields[2], plan.Resolve("subject_name"));       // the mapped column gives the field
  EXPECT_EQ(fields[3], plan.Resolve("party_name"));         // the first of two gives the field
  EXPECT_EQ(fields[4], kAttrField);
  EXPECT_EQ(fields[5], plan.Resolve("status"));
  EXPECT_EQ(fields[6], kAttrField);
  for (std::size_t index = 0; index < names.size(); ++index) {
    if (index != 1 && index != 4) {
      EXPECT_EQ(fields[index], plan.Resolve(names[index])) << index;
    }
  }
}

TEST(Readers, EmptyAndBlankCsvFilesAreEmptySourcesAndBlankLinesBeforeTheHeaderAreSkipped) {
  const fs::path dir = fs::temp_directory_path() / "cg_empty_csv_test";
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"zero.csv", ""}, {"blank.csv", "\r\n\n  \n"}, {"bom.csv", "\xef\xbb\xbf"},
      {"late.csv", "\n\r\nrid,subject_name\nR1,甲公司\n"}};
  for (const auto& [name, text] : files) {
    std::ofstream(dir / name, std::ios::binary) << text;
    SourceSpec spec;
    spec.id = "s";
    spec.kind = RecordKind::kRegistry;
    spec.full_path = (dir / name).string();
    std::vector<std::string> malformed;
    auto rows = ReadAll(spec, 100, &malformed);
    EXPECT_TRUE(malformed.empty()) << name;
    if (name == "late.csv") {
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_EQ(rows[0].at("subject_name"), "甲公司");
    } else {
      EXPECT_TRUE(rows.empty()) << name;
    }
  }
  fs::remove_all(dir);
}

TEST(Readers, Gb18030IsConvertedToUtf8) {
  auto catalog = LoadCatalog(Fixture("good"));
  ASSERT_TRUE(catalog.ok());
  auto rows = ReadAll(catalog->sources[2], 1, nullptr);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("subject_name"), "济南鲁信商贸有限公司");
  EXPECT_EQ(rows[0].at("decision_no"), "济市监罚〔2024〕12号");
  EXPECT_EQ(rows[1].at("severity"), "轻微");
}

TEST(Readers, JsonlValuesAndBlankLines) {
  auto catalog = LoadCatalog(Fixture("good"));
  ASSERT_TRUE(catalog.ok());
  auto rows = ReadAll(catalog->sources[1], 2, nullptr);
  ASSERT_EQ(rows.size(), 3u);  // the trailing blank line is not a record
  EXPECT_EQ(rows[1].at("disputed"), "true");
  EXPECT_EQ(rows[1].at("amount_extra"), "12.5");
  EXPECT_EQ(rows[1].at("nested"), "{\"a\":1}");
  EXPECT_FALSE(rows[0].contains("blood_type"));  // Art. 42
}

TEST(Readers, LargeCsvInSmallBatchesKeepsEveryRow) {
  const fs::path dir = fs::temp_directory_path() / ("cg_reader_big_" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "a.csv", std::ios::binary);
    out << "rid,subject_name\n";
    for (int row = 0; row < 50000; ++row) {
      out << "r" << row << ",\"名称," << row << "\n第二行\"\n";
    }
  }
  SourceSpec spec;
  spec.id = "a";
  spec.full_path = (dir / "a.csv").string();
  auto rows = ReadAll(spec, 777, nullptr);
  ASSERT_EQ(rows.size(), 50000u);
  EXPECT_EQ(rows[49999].at("rid"), "r49999");
  EXPECT_EQ(rows[12345].at("subject_name"), "名称,12345\n第二行");
  fs::remove_all(dir);
}

/// Every row of a CSV file as (cells, malformed reason), read in chunks of at least
/// `min_bytes` (NextChunk in order, ParseChunk per chunk).
std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>> ReadChunked(
    const SourceSpec& spec, std::size_t min_bytes, std::size_t* chunks) {
  auto reader = OpenRowReader(spec);
  EXPECT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE((*reader)->chunked());
  std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>> rows;
  RawChunk chunk;
  RowBatch batch;
  std::size_t lasts = 0;
  *chunks = 0;
  while (true) {
    auto more = (*reader)->NextChunk(chunk, min_bytes);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    ++*chunks;
    lasts += chunk.last ? 1 : 0;
    auto status = (*reader)->ParseChunk(chunk, batch);
    EXPECT_TRUE(status.ok()) << status;
    for (std::size_t row = 0; row < batch.rows(); ++row) {
      std::vector<std::pair<std::string, std::string>> cells;
      for (auto index = batch.row_begin[row]; index < batch.row_begin[row + 1]; ++index) {
        cells.emplace_back((*batch.columns)[batch.cells[index].column],
                           std::string(batch.value(batch.cells[index])));
      }
      std::string reason;
      for (const auto& [malformed_row, why] : batch.malformed) {
        if (malformed_row == row) reason = why;
      }
      rows.emplace_back(std::move(cells), reason);
    }
  }
  EXPECT_EQ(lasts, 1u);  // exactly one last chunk per source
  return rows;
}

// The CSV text is split at record boundaries without being parsed (a replica of libcsv's
// quoting states) and the chunks are parsed apart: compared with libcsv over the whole file
// (one chunk) on random text full of quoted newlines, doubled quotes, stray quotes, spaces
// after a closing quote, CR LF, blank lines, ragged rows and a quote left open at the end.
TEST(Readers, CsvChunksSplitAtRecordBoundariesLikeOneWholeParse) {
  const fs::path dir = fs::temp_directory_path() / ("cg_reader_chunks_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a", "名", ",", "\"", "\"\"", "\n", "\r\n", " ", "\t",
                                           "x y", "\" ", " \"", "\r"};
  for (int file = 0; file < 40; ++file) {
    std::string text = file % 3 == 0 ? "\xEF\xBB\xBFrid,\"na\nme\",c\n" : "rid,name,c\n";
    if (file % 5 == 1) text = " \n\t\r\n\n" + text;  // blank lines before the header
    const int rows = 1 + int(rng() % 60);
    for (int row = 0; row < rows; ++row) {
      // The rid: plain, or quoted (a quote that opens the row), after blanks at times.
      const unsigned style = rng() % 4;
      if (style >= 2) text += style == 3 ? " \t" : "";
      text += style >= 2 ? "\"r" : "r";
      text.append(std::to_string(row));
      if (style >= 2) text += "\"";
      const int fields = int(rng() % 4);
      for (int field = 0; field < fields; ++field) {
        text += ",";
        const bool quoted = rng() % 2 == 0;
        if (quoted) text += "\"";
        const int length = int(rng() % 6);
        for (int piece = 0; piece < length; ++piece) {
          const std::string& next = pieces[rng() % pieces.size()];
          // Mostly well-formed: inside quotes quotes come doubled; outside, rarely stray.
          if (next == "\"" && (quoted || rng() % 4 != 0)) continue;
          if (!quoted && (next == "\n" || next == "\r\n" || next == "\r") && rng() % 3 != 0) {
            continue;
          }
          text += next;
        }
        if (quoted && rng() % 10 != 0) text += rng() % 5 == 0 ? "\"  " : "\"";
      }
      if (rng() % 8 == 0) text += "\n";  // a blank line
      if (row + 1 < rows || rng() % 2 == 0) text += rng() % 4 == 0 ? "\r\n" : "\n";
    }
    std::ofstream(dir / "a.csv", std::ios::binary) << text;
    SourceSpec spec;
    spec.id = "a";
    spec.full_path = (dir / "a.csv").string();
    std::size_t whole_chunks = 0;
    const auto whole = ReadChunked(spec, std::size_t{1} << 30, &whole_chunks);
    EXPECT_EQ(whole_chunks, 1u);
    for (std::size_t min_bytes : {1u, 2u, 5u, 13u, 64u}) {
      std::size_t chunks = 0;
      const auto split = ReadChunked(spec, min_bytes, &chunks);
      ASSERT_EQ(split, whole) << "file " << file << ", chunks of " << min_bytes << " bytes:\n"
                              << text;
      if (min_bytes == 1) {
        EXPECT_GT(chunks, 1u);
      }
    }
  }
  fs::remove_all(dir);
}

// JSONL is split at LFs and the chunks parsed apart (in parallel in the pipeline): any chunk
// size gives the rows of one whole-file chunk — BOM, CR LF, blank lines, a bad line, a line that
// is not an object, numbers, nested values, no final newline — and an Art. 42 key that first
// appears in a later chunk is reported by that chunk's batch.
TEST(Readers, JsonlChunksLikeOneWholeParse) {
  const fs::path dir = fs::temp_directory_path() / ("cg_reader_jsonl_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string text = "\xEF\xBB\xBF";
  for (int row = 0; row < 40; ++row) {
    text += "{\"rid\": \"r" + std::to_string(row) + "\", \"subject_name\": \"名" +
            std::to_string(row) + "\", \"n\": " + std::to_string(row * 7 - 100) +
            ", \"x\": [1, {\"a\": null}], \"ok\": true, \"amount\": 1.5}";
    if (row == 30) text += "\n{\"rid\": \"b\", \"blood_type\": \"A\"}";
    if (row == 12) text += "\n{not json";
    if (row == 20) text += "\n[1, 2]";
    text += row % 5 == 0 ? "\r\n\n  \n" : "\n";
  }
  text += "{\"rid\": \"last\"}";  // no final newline
  std::ofstream(dir / "a.jsonl", std::ios::binary) << text;
  SourceSpec spec;
  spec.id = "a";
  spec.format = Format::kJsonl;
  spec.full_path = (dir / "a.jsonl").string();
  std::size_t whole_chunks = 0;
  const auto whole = ReadChunked(spec, std::size_t{1} << 30, &whole_chunks);
  EXPECT_EQ(whole_chunks, 1u);
  ASSERT_EQ(whole.size(), 44u);
  EXPECT_EQ(whole[0].first[0], (std::pair<std::string, std::string>("rid", "r0")));
  EXPECT_NE(whole[13].second.find("not valid JSON"), std::string::npos);
  for (std::size_t min_bytes : {1u, 7u, 64u, 1000u}) {
    std::size_t chunks = 0;
    ASSERT_EQ(ReadChunked(spec, min_bytes, &chunks), whole) << min_bytes;
    EXPECT_GT(chunks, 1u);
  }
  // Art. 42: the key is dropped from the row and reported by the batch that met it.
  auto reader = OpenRowReader(spec);
  ASSERT_TRUE(reader.ok());
  RawChunk chunk;
  RowBatch batch;
  std::vector<std::string> refused;
  while (*(*reader)->NextChunk(chunk, 256)) {
    ASSERT_TRUE((*reader)->ParseChunk(chunk, batch).ok());
    refused.insert(refused.end(), batch.refused.begin(), batch.refused.end());
  }
  EXPECT_EQ(refused, std::vector<std::string>{"blood_type"});
  fs::remove_all(dir);
}

// ------------------------------------------------------------------------------ GB18030

/// UTF-8 text as GB18030 bytes (ICU), for the fixtures below.
std::string ToGb18030(std::string_view utf8) {
  UErrorCode error = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const int32_t size = ucnv_convert("GB18030", "UTF-8", out.data(), int32_t(out.size()),
                                    utf8.data(), int32_t(utf8.size()), &error);
  EXPECT_TRUE(U_SUCCESS(error)) << u_errorName(error);
  out.resize(std::size_t(size));
  return out;
}

/// The whole file through the serial converting stream (the reference: how GB18030 sources
/// were read before they were converted chunk by chunk).
std::string SerialUtf8(const SourceSpec& spec) {
  auto stream = OpenTextStream(spec);
  EXPECT_TRUE(stream.ok()) << stream.status();
  std::string text;
  char buffer[37];  // small reads: characters cross the reads
  while (true) {
    auto count = (*stream)->Read(buffer, sizeof buffer);
    EXPECT_TRUE(count.ok()) << count.status();
    if (!count.ok() || *count == 0) break;
    text.append(buffer, *count);
  }
  return text;
}

// Pieces of GB18030 text: 2-byte characters (名, 〔), 4-byte ones in the BMP (U+0080, U+00A5
// → 81 30 81 30 / 81 30 84 36) and beyond it (U+20000 𠀀 → 95 32 82 36, U+1F600), a GB18030 BOM
// (84 31 95 33 → U+FEFF), and malformed bytes: lead bytes alone or before a quote, comma, CR or
// LF, a lead byte and a digit (half a 4-byte sequence), 0x80 and 0xFF.
const std::vector<std::string>& Gb18030Pieces() {
  static const std::vector<std::string> pieces = [] {
    std::vector<std::string> out;
    for (std::string_view utf8 : {"名", "〔", "\xC2\x80", "\xC2\xA5", "\xF0\xA0\x80\x80",
                                  "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "a", "济南鲁信"}) {
      out.push_back(ToGb18030(utf8));
    }
    for (std::string_view raw : {"\x81", "\xFE", "\x81\x30", "\x95\x32\x82", "\x80", "\xFF"}) {
      out.emplace_back(raw);
    }
    return out;
  }();
  return pieces;
}

// Converting pieces cut right after any CR or LF gives the whole text's conversion, and that
// is what the serial stream gives; bytes below 0x30 (quote, comma, blanks, CR, LF) come out
// as they went in, in the same order (so CSV record boundaries can be found in the raw bytes).
TEST(Readers, Gb18030PiecesCutAfterLineEndsConvertLikeTheWhole) {
  std::mt19937 rng(11);
  const auto& pieces = Gb18030Pieces();
  const std::vector<std::string> structural = {"\n", "\r", "\r\n", "\"", ",", " ", "\t"};
  const fs::path dir = fs::temp_directory_path() / ("cg_gb_pieces_" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = int(rng() % 24);
    for (int piece = 0; piece < length; ++piece) {
      text += rng() % 3 == 0 ? structural[rng() % structural.size()] : pieces[rng() % pieces.size()];
    }
    std::string whole;
    ASSERT_TRUE(Gb18030ToUtf8(text, whole).ok());
    std::string joined;
    std::size_t start = 0;
    for (std::size_t index = 0; index <= text.size(); ++index) {
      const bool cut = index == text.size() || text[index] == '\n' || text[index] == '\r';
      if (!cut || (index < text.size() && rng() % 2 == 0)) continue;
      const std::size_t end = std::min(index + 1, text.size());
      std::string part;
      ASSERT_TRUE(Gb18030ToUtf8(std::string_view(text).substr(start, end - start), part).ok());
      joined += part;
      start = end;
    }
    ASSERT_EQ(joined, whole) << "round " << round;
    auto low = [](std::string_view bytes) {
      std::string kept;
      for (char c : bytes) {
        if (static_cast<unsigned char>(c) < 0x30) kept.push_back(c);
      }
      return kept;
    };
    ASSERT_EQ(low(whole), low(text)) << "round " << round;
    if (round % 100 == 0) {  // and the serial stream agrees
      std::ofstream(dir / "a.csv", std::ios::binary) << text;
      SourceSpec spec;
      spec.id = "a";
      spec.encoding = Encoding::kGb18030;
      spec.full_path = (dir / "a.csv").string();
      std::string serial = SerialUtf8(spec);
      std::string expected = whole;
      if (std::string_view(expected).substr(0, 3) == "\xEF\xBB\xBF") expected.erase(0, 3);
      if (std::string_view(serial).substr(0, 3) == "\xEF\xBB\xBF") serial.erase(0, 3);
      ASSERT_EQ(serial, expected) << "round " << round;
    }
  }
  std::string empty = "x";
  ASSERT_TRUE(Gb18030ToUtf8("", empty).ok());
  EXPECT_EQ(empty, "");
  fs::remove_all(dir);
}

// ICU's conversion of a whole text (default substitution), the reference of the table path.
std::string IcuGb18030ToUtf8(std::string_view text) {
  std::string out(text.size() * 3 + 16, '\0');
  UErrorCode error = U_ZERO_ERROR;
  const int32_t size = ucnv_convert("UTF-8", "GB18030", out.data(), int32_t(out.size()),
                                    text.data(), int32_t(text.size()), &error);
  EXPECT_FALSE(U_FAILURE(error)) << u_errorName(error);
  out.resize(std::size_t(std::max(size, 0)));
  return out;
}

// The table path of Gb18030ToUtf8 (ASCII and two-byte characters) against ICU on the whole
// text: every two-byte sequence (all trails of each lead in one text, so every table entry is
// checked, illegal and unassigned pairs included), and random texts of ASCII, CR/LF, quotes,
// random byte pairs, four-byte characters, illegal single bytes and a lead byte cut at the end.
// Where the table path answers it must equal ICU; Gb18030ToUtf8 must always equal ICU.
TEST(Readers, Gb18030TablePathEqualsIcu) {
  int fast = 0;
  for (int lead = 0x81; lead <= 0xFE; ++lead) {
    std::string text = "a,";
    for (int trail = 0x40; trail <= 0xFE; ++trail) {
      if (trail == 0x7F) continue;
      text.push_back(char(lead));
      text.push_back(char(trail));
      text.push_back(',');
    }
    std::string converted;
    ASSERT_TRUE(Gb18030ToUtf8(text, converted).ok());
    ASSERT_EQ(converted, IcuGb18030ToUtf8(text)) << "lead " << lead;
    // Pair by pair too: the table's verdict on each pair alone.
    for (int trail = 0x40; trail <= 0xFE; ++trail) {
      const std::string pair = {char(lead), char(trail)};
      std::string one;
      if (Gb18030ToUtf8Fast(pair, one)) {
        ++fast;
        ASSERT_EQ(one, IcuGb18030ToUtf8(pair)) << lead << " " << trail;
      }
    }
  }
  EXPECT_GT(fast, 20000);  // GBK's 21,886 two-byte characters and more go through the table
  std::mt19937 rng(23);
  const auto& pieces = Gb18030Pieces();
  int fast_texts = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    const int length = int(rng() % 40);
    const bool clean = round % 2 == 0;  // only ASCII and pairs of GB2312's range
    for (int piece = 0; piece < length; ++piece) {
      const unsigned what = rng() % 6;
      if (what <= 1) {
        text.push_back("ab,\"\r\n 9Z"[rng() % 11]);
      } else if (what == 2 || clean) {
        text.push_back(char(0xB0 + rng() % 0x48));
        text.push_back(char(0xA1 + rng() % 0x5E));
      } else if (what == 3) {
        text.push_back(char(0x81 + rng() % 0x7E));
        text.push_back(char(rng() % 256));
      } else if (what == 4) {
        text += pieces[rng() % pieces.size()];
      } else {
        text.push_back(char(rng() % 256));
      }
    }
    const std::string reference = IcuGb18030ToUtf8(text);
    std::string converted;
    if (Gb18030ToUtf8Fast(text, converted)) {
      ++fast_texts;
      ASSERT_EQ(converted, reference) << "round " << round;
    }
    ASSERT_TRUE(Gb18030ToUtf8(text, converted).ok());
    ASSERT_EQ(converted, reference) << "round " << round;
  }
  EXPECT_GT(fast_texts, 1900);
}

// GB18030 CSV and JSONL sources are split raw and each chunk converted where it is parsed:
// at every chunk size (1 byte: a chunk per row, so multi-byte characters, 4-byte ones
// included, sit right before and after every chunk boundary) the rows equal those of the
// serial conversion of the whole file read as UTF-8 — with a GB18030 BOM, quoted newlines,
// malformed bytes before quotes and line ends, and a file that ends inside a 4-byte sequence
// (U+FFFD, as before) or inside a quoted field (a truncated row, as before).
TEST(Readers, Gb18030ChunksEqualTheSerialConversion) {
  const fs::path dir = fs::temp_directory_path() / ("cg_gb_chunks_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::mt19937 rng(5);
  const auto& pieces = Gb18030Pieces();
  const std::string name = ToGb18030("名称");
  for (int file = 0; file < 30; ++file) {
    const bool jsonl = file % 3 == 2;
    std::string text = file % 4 == 0 ? ToGb18030("\xEF\xBB\xBF") : "";
    if (!jsonl) text.append("rid,").append(name).append(",c\n");
    const int rows = 1 + int(rng() % 40);
    for (int row = 0; row < rows; ++row) {
      std::string value;
      const int length = int(rng() % 6);
      for (int piece = 0; piece < length; ++piece) {
        value += pieces[rng() % pieces.size()];
        if (!jsonl && rng() % 6 == 0) value += rng() % 2 == 0 ? "\n" : "\"\"";
      }
      const std::string rid = absl::StrCat("r", row);
      if (jsonl) {
        // Malformed bytes may end a line (the line is then not valid JSON: quarantined).
        text.append("{\"rid\": \"").append(rid).append("\", \"subject_name\": \"").append(value).append("\"}");
      } else {
        text.append(rid).append(",\"").append(value).append("\",").append(pieces[rng() % pieces.size()]);
      }
      if (row + 1 < rows) text += rng() % 4 == 0 ? "\r\n" : "\n";
    }
    switch (file % 5) {  // how the file ends
      case 0: text += "\n"; break;
      case 1: text += "\x95\x32\x82"; break;           // inside a 4-byte character
      case 2:  // an open quoted field (JSONL: a lone lead byte after the last line)
        if (jsonl) {
          text.append("\x81");
        } else {
          text.append("\n\"r").append(name);
        }
        break;
      default: break;
    }
    const std::string file_name = jsonl ? "a.jsonl" : "a.csv";
    std::ofstream(dir / file_name, std::ios::binary) << text;
    SourceSpec spec;
    spec.id = "a";
    spec.format = jsonl ? Format::kJsonl : Format::kCsv;
    spec.encoding = Encoding::kGb18030;
    spec.full_path = (dir / file_name).string();
    // The reference: the serial conversion of the whole file, read as a UTF-8 source.
    const std::string utf8_name = jsonl ? "u.jsonl" : "u.csv";
    std::ofstream(dir / utf8_name, std::ios::binary) << SerialUtf8(spec);
    SourceSpec utf8_spec = spec;
    utf8_spec.encoding = Encoding::kUtf8;
    utf8_spec.full_path = (dir / utf8_name).string();
    std::size_t chunks = 0;
    const auto expected = ReadChunked(utf8_spec, std::size_t{1} << 30, &chunks);
    ASSERT_FALSE(expected.empty());
    for (std::size_t min_bytes : {std::size_t{1} << 30, std::size_t{1}, std::size_t{2},
                                  std::size_t{3}, std::size_t{7}, std::size_t{64}}) {
      ASSERT_EQ(ReadChunked(spec, min_bytes, &chunks), expected)
          << "file " << file << ", chunks of " << min_bytes << " bytes";
    }
    if (file % 5 == 1) {  // the cut 4-byte character is one U+FFFD at the end of the last row
      const auto& last = expected.back().first.back().second;
      EXPECT_EQ(last.substr(last.size() - 3), "\xEF\xBF\xBD") << file;
    }
    if (file % 5 == 2 && !jsonl) {
      EXPECT_NE(expected.back().second.find("truncated row"), std::string::npos) << file;
    }
  }
  fs::remove_all(dir);
}

// The ingest's CSV parser against libcsv itself (the reference) on random text drawn from
// the characters that matter: quotes, commas, CR, LF, blanks; every field, every row and the
// truncation at the end must be equal.
TEST(Readers, CsvParserAgreesWithLibcsvOnRandomText) {
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"a", "名", ",", "\"", "\"\"", "\n", "\r\n", " ",
                                           "\t", "\r", "\" ", " \"", ", ", "\"\t\"", "b c"};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = int(rng() % 24);
    for (int piece = 0; piece < length; ++piece) text += pieces[rng() % pieces.size()];
    const CsvRows ours = ParseCsvText(text);
    const CsvRows reference = ParseCsvLibcsv(text);
    ASSERT_EQ(ours.rows, reference.rows) << "text: [" << text << "]";
    ASSERT_EQ(ours.truncated, reference.truncated) << "text: [" << text << "]";
  }
  // Hand-made cases of each rule.
  EXPECT_EQ(ParseCsvText("a, b ,\"c\"\"d\" ,\"e\" f\"\n\"g\" \"h\"").rows,
            (std::vector<std::vector<std::string>>{{"a", "b", "c\"d", "e\" f"}, {"g\" \"h"}}));
  EXPECT_TRUE(ParseCsvText("x,\"open\nstill").truncated);
}

// ------------------------------------------------------------------------------ fields

TEST(Art42, RefusesSensitiveColumnNamesOnly) {
  for (const char* name : {"宗教信仰", "religion", "Religious_Affiliation", "基因检测结果", "gene",
                           "genetic_marker", "指纹", "fingerprint_hash", "FingerPrint", "血型",
                           "blood_type", "BloodType", "medical_history", "Medical History",
                           "既往病史", "病历号", "DNA"}) {
    EXPECT_TRUE(IsArt42Column(name)) << name;
  }
  for (const char* name : {"subject_name", "general_manager", "generation", "gender", "domain",
                           "id_nationality", "reason", "企业名称", "信用等级", "history",
                           "record_no"}) {
    EXPECT_FALSE(IsArt42Column(name)) << name;
  }
}

TEST(Validate, BooleansOfTheContract) {
  EXPECT_EQ(ParseBool("true"), true);
  EXPECT_EQ(ParseBool("TRUE"), true);
  EXPECT_EQ(ParseBool("1"), true);
  EXPECT_EQ(ParseBool("是"), true);
  EXPECT_EQ(ParseBool("false"), false);
  EXPECT_EQ(ParseBool("0"), false);
  EXPECT_EQ(ParseBool("否"), false);
  EXPECT_FALSE(ParseBool("maybe").has_value());
  EXPECT_FALSE(ParseBool("yes!").has_value());
}

TEST(Validate, RequiredFieldsPerKindQuarantine) {
  SourceSpec spec;
  spec.id = "s";
  spec.kind = RecordKind::kPenalty;
  auto verdict = ValidateNamedRow(spec, {{"rid", "1"}, {"subject_name", "甲公司"}});
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.field, "decided_on");
  verdict = ValidateNamedRow(
      spec, {{"rid", "1"}, {"subject_name", "甲公司"}, {"decided_on", "2024-1-5"}});
  EXPECT_TRUE(verdict.ok) << verdict.reason;
  EXPECT_EQ(verdict.record.decided_on, *MakeDate(2024, 1, 5));
  // A field of another kind is an attribute, not a value.
  verdict = ValidateNamedRow(spec, {{"rid", "1"}, {"subject_name", "甲"}, {"decided_on", "20240105"},
                                    {"listed_on", "2024-01-01"}});
  ASSERT_TRUE(verdict.ok);
  EXPECT_EQ(verdict.record.listed_on, kNoDate);
  ASSERT_EQ(verdict.record.attrs.size(), 1u);
  EXPECT_EQ(verdict.record.attrs[0].first, "listed_on");
}

// The ingest reuses one RowVerdict per thread from row to row (ValidateRowInto): whatever the
// previous row left in it (other kind, flags, attributes, long names, identifiers, quarantine),
// the verdict must equal a fresh ValidateRow's — compared field by field through the codec.
TEST(Validate, ReusedVerdictEqualsFreshOne) {
  std::mt19937 rng(5);
  const std::vector<RecordKind> kinds = {RecordKind::kRegistry, RecordKind::kList,
                                         RecordKind::kOfficer, RecordKind::kPenalty,
                                         RecordKind::kShareholder, RecordKind::kGuarantee};
  const std::vector<std::vector<std::string>> values = {
      {"rid", "1", "22", ""},
      {"subject_uscc", "91370102MA3C4XK10Q", "91370102ma3c4xk101", "bad", ""},
      {"subject_id_no", "370102198001010015", "37010280010100", "x", ""},
      {"subject_name", "山东新海控股集团有限公司一个很长的名字", "甲", ""},
      {"party_name", "刘梓刚", ""},
      {"party_org_code", "MA3C4XK1-0", ""},
      {"subject_region", "370102", "37", "371202", ""},
      {"status", "存续", "unknown", ""},
      {"est_date", "2016-08-05", "2016/13/40", ""},
      {"reg_capital", "12.5", "-3", "abc", ""},
      {"list", "court_dishonest_debtor", "Bad Code", ""},
      {"listed_on", "20240105", "never", ""},
      {"removed_on", "2023-01-01", ""},
      {"role", "director", "Chair", "janitor", ""},
      {"decided_on", "2024年1月5日", ""},
      {"ratio", "0.5", "2", ""},
      {"start", "2020-01-01", ""},
      {"end", "2019-01-01", ""},
      {"note", "an attribute", ""},
  };
  RowVerdict reused;
  for (int round = 0; round < 3000; ++round) {
    SourceSpec spec;
    spec.id = absl::StrCat("s", round % 3);
    spec.kind = kinds[rng() % kinds.size()];
    std::vector<std::pair<std::string, std::string>> row;
    for (const auto& column : values) {
      const std::string& value = column[1 + rng() % (column.size() - 1)];
      if (!value.empty()) row.emplace_back(column[0], value);
    }
    // The same row as ValidateNamedRow builds it, validated fresh and into the reused verdict.
    ColumnPlan plan(spec);
    RowBatch batch;
    auto names = std::make_shared<ColumnNames>();
    batch.BeginRow();
    for (const auto& [name, value] : row) {
      names->push_back(name);
      batch.AddCell(std::uint32_t(names->size() - 1), plan.Resolve(name), value);
    }
    batch.EndRows();
    batch.columns = std::move(names);
    const RowVerdict fresh = ValidateRow(spec, batch, 0);
    ValidateRowInto(spec, batch, 0, reused);
    ASSERT_EQ(reused.ok, fresh.ok) << round;
    ASSERT_EQ(reused.field, fresh.field) << round;
    ASSERT_EQ(reused.reason, fresh.reason) << round;
    ASSERT_EQ(store::EncodeRecord(reused.record), store::EncodeRecord(fresh.record)) << round;
  }
}

// The ingest validates into a RecordView (views of the row's cells) and encodes that; the
// reference is the Record path (ValidateRow + EncodeRecord of the Record). On random rows of
// every kind — every canonical field with good, bad, odd and empty values, identifiers valid,
// check-failed, 15-digit and invalid (attrs + flags), attributes, long texts — and one view
// verdict reused from row to row (a previous row's views, codes and flags must not leak): the
// same ok, field and reason, the same rid, and byte-equal encodings.
TEST(Validate, ViewVerdictEncodesLikeTheRecord) {
  std::mt19937 rng(17);
  const std::vector<std::vector<std::string>> values = {
      {"rid", "1", "R000000001", "  ", ""},
      {"subject_uscc", "91370102MA3C4XK10Q", "91370102ma3c4xk101", "bad", "９１３７０１０２ＭＡ３Ｃ４ＸＫ１０Ｑ", ""},
      {"subject_reg_no", "370215544365382", "12", ""},
      {"subject_org_code", "MA3C4XK1-0", "MA3C4XK11", "?", ""},
      {"subject_id_no", "370102198001010015", "37010280010100", "x", "370102198001010016", ""},
      {"subject_name", "山东新海控股集团有限公司一个很长的名字", "甲", ""},
      {"subject_kind", "enterprise", "Person", "alien", ""},
      {"subject_region", "370102", "37", "371202", ""},
      {"subject_address", "济南市历下区泉城路1号", ""},
      {"subject_phone", "0531-1234567", ""},
      {"subject_birth", "1980-01-01", "yesterday", ""},
      {"party_uscc", "91370102MA3C4XK10Q", "zz", ""},
      {"party_id_no", "370102198001010015", "hello", ""},
      {"party_name", "刘梓刚", ""},
      {"party_org_code", "MA3C4XK1-0", ""},
      {"party_kind", "person", ""},
      {"party_region", "370103", "x", ""},
      {"party_birth", "1975年4月24日", ""},
      {"status", "存续", "吊销", "unknown", "kept", ""},
      {"est_date", "2016-08-05", "2016/13/40", ""},
      {"reg_capital", "12.5", "-3", "abc", ""},
      {"industry", "7212", ""},
      {"list", "court_dishonest_debtor", "Bad Code", ""},
      {"listed_on", "20240105", "never", ""},
      {"removed_on", "2023-01-01", "2025-01-01", ""},
      {"disputed", "true", "否", "maybe", ""},
      {"case_no", "（2021）鲁1362执2567号", ""},
      {"reason", "拖欠农民工工资，数额较大", ""},
      {"role", "director", "Chair", "janitor", ""},
      {"decision_no", "烟市监罚〔2020〕526号", ""},
      {"decided_on", "2024年1月5日", "bad", ""},
      {"severity", "serious", "MINOR", "huge", ""},
      {"domain", "market", ""},
      {"publicity_until", "2023/2/2", ""},
      {"license_no", "L-1", ""},
      {"granted_on", "2020-01-01", ""},
      {"valid_until", "2019-01-01", "2030-01-01", ""},
      {"made_on", "2021-03-04", ""},
      {"topic", "守信承诺", ""},
      {"scheme", "tax", ""},
      {"grade", "A", ""},
      {"rated_on", "2024-06-05", ""},
      {"ratio", "0.5", "2", "0", ""},
      {"amount", "956.45", "-1", ""},
      {"start", "2020-01-01", ""},
      {"end", "2019-01-01", "2021-01-01", ""},
      {"note", "an attribute", ""},
      {"违法事实", "使用未经检定的计量器具;\n责令停止使用", ""},
  };
  RowViewVerdict view;
  for (int round = 0; round < 5000; ++round) {
    SourceSpec spec;
    spec.id = absl::StrCat("source_", round % 3);
    spec.kind = RecordKind(rng() % kNumRecordKinds);
    ColumnPlan plan(spec);
    RowBatch batch;
    auto names = std::make_shared<ColumnNames>();
    batch.BeginRow();
    for (const auto& column : values) {
      if (rng() % 4 == 0) continue;
      const std::string& value = column[1 + rng() % (column.size() - 1)];
      names->push_back(column[0]);
      const std::uint8_t field = plan.Resolve(column[0]);
      if (field == kRefusedField || value.empty()) continue;
      batch.AddCell(std::uint32_t(names->size() - 1), field, value);
    }
    batch.EndRows();
    batch.columns = std::move(names);
    const RowVerdict reference = ValidateRow(spec, batch, 0);
    ValidateRowView(spec, batch, 0, view);
    ASSERT_EQ(view.ok, reference.ok) << round;
    ASSERT_EQ(view.field, reference.field) << round;
    ASSERT_EQ(view.reason, reference.reason) << round;
    ASSERT_EQ(view.record.rid, reference.record.rid) << round;
    if (!reference.ok) continue;
    std::string encoded;
    store::EncodeRecord(view.record, encoded);
    ASSERT_EQ(encoded, store::EncodeRecord(reference.record)) << round;
    ASSERT_EQ(view.record.flags.empty(), reference.record.flags.empty()) << round;
  }
}

TEST(Validate, IdentifiersNormalizedWeakOrDropped) {
  SourceSpec spec;
  spec.id = "s";
  spec.kind = RecordKind::kRegistry;
  // Lower case with a hyphen; org code with hyphen; a wrong check character; a non-code.
  auto verdict = ValidateNamedRow(spec, {{"rid", "1"},
                                         {"subject_uscc", "91370102ma3c4xk10q"},
                                         {"subject_org_code", "MA3C4XK1-0"},
                                         {"party_uscc", "91370102MA3C4XK101"},
                                         {"party_id_no", "hello"},
                                         {"party_name", "张三"}});
  ASSERT_TRUE(verdict.ok) << verdict.reason;
  EXPECT_EQ(verdict.record.subject.uscc, "91370102MA3C4XK10Q");
  EXPECT_EQ(verdict.record.subject.org_code, "MA3C4XK10");
  EXPECT_EQ(verdict.record.subject.weak, 0);
  EXPECT_EQ(verdict.record.party.uscc, "91370102MA3C4XK101");
  EXPECT_EQ(verdict.record.party.weak, kWeakUscc | kWeakIdNo);  // check failed; invalid
  EXPECT_EQ(verdict.record.party.id_no, "");
  ASSERT_EQ(verdict.record.flags.size(), 1u);
  EXPECT_EQ(verdict.record.flags[0].first, "party_id_no");
}

// Second generality sweep (docs/sweep2.md): a department still sending 莱城区 371202 (retired in
// 2019: part of 济南市莱芜区 370116 since) means today's place. The record carries the successor;
// the code as sent stays an attribute, and a flag says so.
TEST(Validate, RetiredRegionCodeReadAsItsSuccessor) {
  SourceSpec spec;
  spec.id = "s";
  spec.kind = RecordKind::kPenalty;
  auto verdict = ValidateNamedRow(spec, {{"rid", "1"},
                                         {"subject_name", "莱芜鑫源商贸有限公司"},
                                         {"subject_region", "371202"},
                                         {"decided_on", "2025-06-01"}});
  ASSERT_TRUE(verdict.ok) << verdict.reason;
  EXPECT_EQ(verdict.record.subject.region, "370116");
  bool kept = false;
  for (const auto& [name, value] : verdict.record.attrs) kept |= name == "subject_region" && value == "371202";
  EXPECT_TRUE(kept);
  ASSERT_EQ(verdict.record.flags.size(), 1u);
  EXPECT_EQ(verdict.record.flags[0].first, "subject_region");
  EXPECT_NE(verdict.record.flags[0].second.find("370116"), std::string::npos);
  // A current code, and an unknown one, stay as sent and unflagged.
  for (const char* code : {"370102", "370199"}) {
    auto current = ValidateNamedRow(spec, {{"rid", "1"}, {"subject_name", "甲"}, {"subject_region", code},
                                           {"decided_on", "2025-06-01"}});
    EXPECT_EQ(current.record.subject.region, code);
    EXPECT_TRUE(current.record.flags.empty());
  }
}

// ------------------------------------------------------------------------------ whole runs

TEST_F(IngestTest, GoodDataSetLoadsEverything) {
  auto report = IngestDataset(Fixture("good"), db_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->read, 4u + 3u + 2u + 2u);
  EXPECT_EQ(report->quarantined, 0u);
  EXPECT_EQ(report->loaded, report->read);
  std::set<std::string> refused;
  for (const auto& [source, column] : report->refused_columns) refused.insert(column);
  EXPECT_EQ(refused, (std::set<std::string>{"宗教信仰", "blood_type", "fingerprint_hash",
                                             "Medical History"}));

  auto r1 = Get(RecordKind::kRegistry, "amr_registry", "R1");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->subject.name, "济南鲁信商贸有限公司, 分公司");
  EXPECT_EQ(r1->subject.uscc, "91370102MA3C4XK10Q");
  EXPECT_EQ(r1->status, RegStatus::kActive);
  EXPECT_EQ(r1->reg_capital, 100.0);
  EXPECT_EQ(r1->est_date, *MakeDate(2016, 8, 5));
  for (const auto& [name, value] : r1->attrs) {
    EXPECT_NE(name, "宗教信仰");
    EXPECT_NE(value, "佛教");
  }
  auto r3 = Get(RecordKind::kRegistry, "amr_registry", "R3");
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->subject.uscc, "91370321MA3C4XK37B");  // from full-width lower case
  EXPECT_EQ(r3->est_date, *MakeDate(2016, 8, 5));
  auto r4 = Get(RecordKind::kRegistry, "amr_registry", "R4");
  ASSERT_TRUE(r4);
  EXPECT_EQ(r4->subject.weak, kWeakUscc);
  EXPECT_FALSE(r4->reg_capital.has_value());
  ASSERT_EQ(r4->flags.size(), 1u);
  EXPECT_EQ(r4->flags[0].first, "reg_capital");

  auto l1 = Get(RecordKind::kList, "court_lists", "L1");
  ASSERT_TRUE(l1);
  EXPECT_EQ(l1->list, "court_dishonest_debtor");
  EXPECT_FALSE(l1->disputed);
  EXPECT_EQ(l1->party.id_no, "370102198001010015");
  auto l2 = Get(RecordKind::kList, "court_lists", "L2");
  ASSERT_TRUE(l2);
  EXPECT_TRUE(l2->disputed);
  EXPECT_EQ(l2->removed_on, *MakeDate(2024, 3, 1));
  auto l3 = Get(RecordKind::kList, "court_lists", "L3");
  ASSERT_TRUE(l3);
  ASSERT_EQ(l3->flags.size(), 1u);
  EXPECT_EQ(l3->flags[0].first, "disputed");

  auto p2 = Get(RecordKind::kPenalty, "gb_penalties", "P2");
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->subject.name, "青岛海港物流有限公司");
  EXPECT_EQ(p2->severity, Severity::kNone);  // 轻微 is not a contract value: flagged
  EXPECT_EQ(p2->flags.size(), 2u);           // and the negative amount

  auto o2 = Get(RecordKind::kOfficer, "officers", "O2");
  ASSERT_TRUE(o2);
  EXPECT_EQ(o2->party.id_no, "370203197512310025");  // upgraded from 15 digits
  EXPECT_EQ(o2->role, OfficerRole::kSupervisor);

  // Counts stored in meta agree with the records stored.
  auto store = Reader();
  auto all = store->AllSourceCounts();
  ASSERT_TRUE(all.ok());
  const std::vector<store::SourceCounts> stored = *all;
  EXPECT_EQ(stored.size(), 4u);
  for (const auto& counts : stored) {
    EXPECT_EQ(counts.loaded + counts.quarantined, counts.read) << counts.source;
    EXPECT_EQ(*store->CountRecords(counts.kind, counts.source), counts.loaded) << counts.source;
  }
}

TEST_F(IngestTest, EveryQuarantineReason) {
  auto report = IngestDataset(Fixture("malformed"), db_);
  ASSERT_TRUE(report.ok()) << report.status();
  for (const auto& counts : report->sources) {
    EXPECT_EQ(counts.loaded + counts.quarantined, counts.read) << counts.source;
  }
  auto reg = Quarantined("reg");
  ASSERT_EQ(reg.size(), 4u);
  EXPECT_EQ(reg["<row 1>"].field, "rid");
  EXPECT_EQ(reg["<row 1>"].reason, "missing rid");
  EXPECT_NE(reg["ok1"].reason.find("duplicate rid"), std::string::npos);
  EXPECT_EQ(reg["ok1"].seq, 2u);
  EXPECT_NE(reg["ok1"].raw.find("甲公司重复"), std::string::npos);
  EXPECT_EQ(reg["no_subject"].field, "subject");
  EXPECT_EQ(reg["too_many"].field, "row");
  auto kept = Get(RecordKind::kRegistry, "reg", "ok1");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->subject.name, "甲公司");  // the first of the duplicates wins
  auto flagged = Get(RecordKind::kRegistry, "reg", "bad_status");
  ASSERT_TRUE(flagged);
  EXPECT_EQ(flagged->flags.at(0).first, "status");

  auto lists = Quarantined("lists");
  EXPECT_EQ(lists.size(), 4u);
  EXPECT_EQ(lists["no_code"].field, "list");
  EXPECT_EQ(lists["bad_code"].field, "list");
  EXPECT_EQ(lists["no_listed_on"].field, "listed_on");
  EXPECT_EQ(lists["bad_listed_on"].field, "listed_on");
  EXPECT_TRUE(Get(RecordKind::kList, "lists", "bad_removed_on"));

  auto pen = Quarantined("pen");
  ASSERT_EQ(pen.size(), 3u);
  EXPECT_EQ(pen["no_decided_on"].field, "decided_on");
  EXPECT_EQ(pen["<row 2>"].field, "row");
  EXPECT_NE(pen["<row 2>"].reason.find("not valid JSON"), std::string::npos);
  EXPECT_NE(pen["<row 2>"].raw.find("broken json"), std::string::npos);
  EXPECT_NE(pen["<row 3>"].reason.find("not an object"), std::string::npos);

  auto off = Quarantined("off");
  EXPECT_EQ(off["bad_role"].field, "role");
  EXPECT_EQ(off["no_party"].field, "party");
  auto share = Quarantined("share");
  EXPECT_EQ(share.size(), 1u);
  EXPECT_EQ(share["no_party"].field, "party");
  auto rate = Quarantined("rate");
  EXPECT_EQ(rate["no_grade"].field, "grade");
  auto cut = Quarantined("cut");
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_NE(cut["cut"].reason.find("truncated"), std::string::npos);
}

void WriteDataSet(const fs::path& dir, const std::vector<std::string>& list_rows) {
  fs::create_directories(dir);
  std::ofstream(dir / "catalog.yaml") << "name: inc\nas_of: 2026-06-30\nsources:\n"
                                         "  - id: lists\n    kind: list\n    path: lists.csv\n";
  std::ofstream out(dir / "lists.csv");
  out << "rid,subject_name,list,listed_on,removed_on\n";
  for (const std::string& row : list_rows) out << row << "\n";
}

TEST_F(IngestTest, ReingestIsIdempotentAndUpdatesAreLogged) {
  WriteDataSet(base_ / "v1", {"a,甲,tax_a,2024-01-01,", "b,乙,tax_a,2024-01-01,",
                              "c,丙,tax_a,2024-01-01,"});
  auto first = IngestDataset((base_ / "v1").string(), db_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->sources[0].inserted, 3u);
  EXPECT_EQ(first->last_change_seq, 3u);

  auto again = IngestDataset((base_ / "v1").string(), db_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->sources[0].inserted + again->sources[0].updated + again->sources[0].deleted,
            0u);
  EXPECT_EQ(again->last_change_seq, 3u);
  EXPECT_EQ(again->run, 2u);

  // v2: b removed from the list (correction of removed_on), c gone, d new.
  WriteDataSet(base_ / "v2", {"a,甲,tax_a,2024-01-01,", "b,乙,tax_a,2024-01-01,2024-06-01",
                              "d,丁,env_serious,2024-05-01,"});
  auto second = IngestDataset((base_ / "v2").string(), db_);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->sources[0].inserted, 1u);
  EXPECT_EQ(second->sources[0].updated, 1u);
  EXPECT_EQ(second->sources[0].deleted, 1u);

  auto store = Reader();
  std::vector<std::pair<std::string, std::string>> changes;
  ASSERT_TRUE(store->ReadChanges(3, [&](const store::Change& change) {
    changes.emplace_back(std::string(store::ToString(change.op)), change.rid);
    return true;
  }).ok());
  EXPECT_EQ(changes, (std::vector<std::pair<std::string, std::string>>{
                         {"update", "b"}, {"insert", "d"}, {"delete", "c"}}));
  EXPECT_EQ(*store->CountRecords(RecordKind::kList, "lists"), 3u);
  auto b = store->GetRecord(RecordKind::kList, "lists", "b");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->removed_on, *MakeDate(2024, 6, 1));
  EXPECT_FALSE(store->GetRecord(RecordKind::kList, "lists", "c")->has_value());
}

// The bulk path (SST files) of a first load, with rids far from key order and a duplicate:
// every record is stored under its key, the change log has one insert per loaded record in
// file order, and re-ingesting the same file (now the batch path, reading the ingested
// values back) changes nothing.
TEST_F(IngestTest, FirstLoadOutOfKeyOrderThroughSstFiles) {
  std::vector<std::string> rids;
  for (int index = 0; index < 3000; ++index) rids.push_back(std::string("x").append(std::to_string(index * 7919 % 3001)));
  std::vector<std::string> rows;
  for (const std::string& rid : rids) rows.push_back(rid + ",名" + rid + ",tax_a,2024-01-01,");
  rows.push_back(rids[10] + ",重复,tax_a,2024-01-01,");  // duplicate rid: quarantined
  WriteDataSet(base_ / "v1", rows);
  auto first = IngestDataset((base_ / "v1").string(), db_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->sources[0].read, 3001u);
  EXPECT_EQ(first->sources[0].loaded, 3000u);
  EXPECT_EQ(first->sources[0].quarantined, 1u);
  EXPECT_EQ(first->sources[0].inserted, 3000u);
  {
    auto store = Reader();
    std::vector<std::string> stored;
    ASSERT_TRUE(store->ForEachRecord(RecordKind::kList, "lists", [&](const Record& record) {
      stored.push_back(record.rid);
      EXPECT_EQ(record.subject.name, "名" + record.rid);
      return true;
    }).ok());
    std::vector<std::string> sorted = rids;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(stored, sorted);
    std::vector<std::string> logged;
    ASSERT_TRUE(store->ReadChanges(0, [&](const store::Change& change) {
      EXPECT_EQ(change.op, store::ChangeOp::kInsert);
      logged.push_back(change.rid);
      return true;
    }).ok());
    EXPECT_EQ(logged, rids);
    EXPECT_EQ(Quarantined("lists").size(), 1u);
  }
  auto again = IngestDataset((base_ / "v1").string(), db_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->sources[0].inserted + again->sources[0].updated + again->sources[0].deleted,
            0u);
  EXPECT_EQ(again->last_change_seq, 3000u);
}

TEST_F(IngestTest, ExternalRowsFollowTheSameRules) {
  auto session = IngestSession::Open(Fixture("good"), db_);
  ASSERT_TRUE(session.ok()) << session.status();
  // Feed the JSONL source's rows as columns (as the Parquet path does), the rest from files.
  for (const SourceSpec& spec : (*session)->catalog().sources) {
    if (spec.id != "court_lists") {
      ASSERT_TRUE((*session)->IngestFileSource(spec).ok());
      continue;
    }
    ASSERT_TRUE((*session)->BeginExternalSource("court_lists").ok());
    ASSERT_TRUE((*session)
                    ->AddExternalRows({"rid", "subject_name", "list", "listed_on", "religion"},
                                      {{"x1", "x1", std::nullopt},
                                       {"甲", "甲", "乙"},
                                       {"tax_a", "tax_a", "tax_a"},
                                       {"2024-01-01", "2024-01-01", "bad"},
                                       {"a", "b", "c"}})
                    .ok());
    ASSERT_TRUE((*session)->EndExternalSource().ok());
  }
  auto report = (*session)->Commit();
  ASSERT_TRUE(report.ok()) << report.status();
  const auto& counts = report->sources[1];
  EXPECT_EQ(counts.source, "court_lists");
  EXPECT_EQ(counts.read, 3u);
  EXPECT_EQ(counts.loaded, 1u);
  EXPECT_EQ(counts.quarantined, 2u);  // duplicate x1, missing rid
  bool refused = false;
  for (const auto& [source, column] : report->refused_columns) refused |= column == "religion";
  EXPECT_TRUE(refused);
}

TEST_F(IngestTest, UncommittedSessionLeavesThePreviousDatabase) {
  WriteDataSet(base_ / "v1", {"a,甲,tax_a,2024-01-01,"});
  ASSERT_TRUE(IngestDataset((base_ / "v1").string(), db_).ok());
  WriteDataSet(base_ / "v2", {"b,乙,tax_a,2024-01-01,"});
  {
    auto session = IngestSession::Open((base_ / "v2").string(), db_);
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->IngestFileSources().ok());
    // dropped without Commit (as if killed)
  }
  auto store = Reader();
  EXPECT_TRUE(store->GetRecord(RecordKind::kList, "lists", "a")->has_value());
  EXPECT_FALSE(store->GetRecord(RecordKind::kList, "lists", "b")->has_value());
}

}  // namespace
}  // namespace cg::core::ingest
