// Tests for core/store/record_codec.h: round trips of hand-made and random records, and refusal
// of truncated or foreign bytes.
#include "core/store/record_codec.h"

#include <gtest/gtest.h>

#include <random>

namespace cg::core::store {
namespace {

void ExpectSameIdentity(const Identity& a, const Identity& b) {
  EXPECT_EQ(a.uscc, b.uscc);
  EXPECT_EQ(a.reg_no, b.reg_no);
  EXPECT_EQ(a.org_code, b.org_code);
  EXPECT_EQ(a.id_no, b.id_no);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.address, b.address);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.birth, b.birth);
  EXPECT_EQ(a.weak, b.weak);
}

void ExpectSame(const Record& a, const Record& b) {
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.rid, b.rid);
  EXPECT_EQ(a.kind, b.kind);
  ExpectSameIdentity(a.subject, b.subject);
  ExpectSameIdentity(a.party, b.party);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.est_date, b.est_date);
  EXPECT_EQ(a.reg_capital, b.reg_capital);
  EXPECT_EQ(a.industry, b.industry);
  EXPECT_EQ(a.ratio, b.ratio);
  EXPECT_EQ(a.amount, b.amount);
  EXPECT_EQ(a.start, b.start);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.list, b.list);
  EXPECT_EQ(a.listed_on, b.listed_on);
  EXPECT_EQ(a.removed_on, b.removed_on);
  EXPECT_EQ(a.disputed, b.disputed);
  EXPECT_EQ(a.case_no, b.case_no);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.decision_no, b.decision_no);
  EXPECT_EQ(a.decided_on, b.decided_on);
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_EQ(a.domain, b.domain);
  EXPECT_EQ(a.publicity_until, b.publicity_until);
  EXPECT_EQ(a.license_no, b.license_no);
  EXPECT_EQ(a.granted_on, b.granted_on);
  EXPECT_EQ(a.valid_until, b.valid_until);
  EXPECT_EQ(a.made_on, b.made_on);
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.commitment_status, b.commitment_status);
  EXPECT_EQ(a.scheme, b.scheme);
  EXPECT_EQ(a.grade, b.grade);
  EXPECT_EQ(a.rated_on, b.rated_on);
  EXPECT_EQ(a.attrs, b.attrs);
  EXPECT_EQ(a.flags, b.flags);
}

TEST(RecordCodec, RoundTripsAListEntry) {
  Record record;
  record.source = "court_lists";
  record.rid = "L-0001";
  record.kind = RecordKind::kList;
  record.subject.uscc = "91370100MA3C5YXQ7K";
  record.subject.name = "济南某某有限公司";
  record.subject.kind = EntityKind::kEnterprise;
  record.subject.weak = kWeakUscc;
  record.party.id_no = "370102199001011234";
  record.party.birth = -3000;
  record.list = "court_dishonest_debtor";
  record.listed_on = 19000;
  record.disputed = true;
  record.amount = 1.5e7;
  record.attrs = {{"备注", "x\0y"}, {"empty", ""}};
  record.flags = {{"removed_on", "bad date '2020-02-30'"}};
  auto decoded = DecodeRecord(EncodeRecord(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSame(record, *decoded);
}

/// A record with every field random (texts of random bytes, lengths past one varint byte).
Record RandomRecord(std::mt19937_64& rng) {
  auto random_text = [&](int max_size) {
    const std::size_t size = rng() % (max_size + 1);
    std::string text;
    for (std::size_t index = 0; index < size; ++index) text.push_back(char(rng() % 256));
    return text;
  };
  auto random_date = [&]() -> Date {
    switch (rng() % 4) {
      case 0: return kNoDate;
      case 1: return kForever;
      default: return Date(std::int64_t(rng() % 200000) - 100000);
    }
  };
  auto random_optional = [&]() -> std::optional<double> {
    if (rng() % 2) return std::nullopt;
    return double(std::int64_t(rng() % 2000000) - 1000000) / 7.0;
  };
  Record record;
  record.source = random_text(10);
  record.rid = random_text(300);
  record.kind = RecordKind(rng() % kNumRecordKinds);
  for (Identity* identity : {&record.subject, &record.party}) {
    for (std::string* text : {&identity->uscc, &identity->reg_no, &identity->org_code,
                              &identity->id_no, &identity->name, &identity->region,
                              &identity->address, &identity->phone}) {
      *text = random_text(40);
    }
    identity->kind = EntityKind(rng() % 5);
    identity->birth = random_date();
    identity->weak = std::uint8_t(rng() % 16);
  }
  record.status = RegStatus(rng() % 5);
  record.reg_capital = random_optional();
  record.ratio = random_optional();
  record.amount = random_optional();
  record.role = OfficerRole(rng() % 8);
  record.severity = Severity(rng() % 4);
  record.commitment_status = CommitmentStatus(rng() % 4);
  record.disputed = rng() % 2;
  for (Date* date : {&record.est_date, &record.start, &record.end, &record.listed_on,
                     &record.removed_on, &record.decided_on, &record.publicity_until,
                     &record.granted_on, &record.valid_until, &record.made_on,
                     &record.rated_on}) {
    *date = random_date();
  }
  for (std::string* text : {&record.industry, &record.list, &record.case_no, &record.reason,
                            &record.decision_no, &record.domain, &record.license_no,
                            &record.topic, &record.scheme, &record.grade}) {
    *text = random_text(12);
  }
  for (auto* pairs : {&record.attrs, &record.flags}) {
    for (int index = int(rng() % 4); index > 0; --index) {
      pairs->emplace_back(random_text(6), random_text(6));
    }
  }
  return record;
}

TEST(RecordCodec, RoundTripsRandomRecords) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 500; ++round) {
    const Record record = RandomRecord(rng);
    auto decoded = DecodeRecord(EncodeRecord(record));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ExpectSame(record, *decoded);
  }
}

TEST(RecordCodec, SelectiveDecodeWithEveryFieldEqualsFullDecode) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 200; ++round) {
    const Record record = RandomRecord(rng);
    Record decoded = RandomRecord(rng);  // every field overwritten
    ASSERT_TRUE(DecodeRecordFields(EncodeRecord(record), RecordFieldMask::All(), decoded).ok());
    ExpectSame(record, decoded);
  }
}

// Two random records A and B, a random mask M: decoding A's bytes with M into a copy of B must
// give the same record as decoding B's bytes with the complement of M into a copy of A (both are
// "A's fields of M, B's other fields"). A field the decoder sets outside its mask, or fails to
// set inside it, makes the two differ.
TEST(RecordCodec, SelectiveDecodeSetsExactlyTheMaskedFields) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 400; ++round) {
    const Record a = RandomRecord(rng);
    const Record b = RandomRecord(rng);
    std::vector<RecordField> chosen, others;
    for (int field = 0; field < kNumRecordFields; ++field) {
      (rng() % 3 == 0 ? chosen : others).push_back(RecordField(field));
    }
    RecordFieldMask mask, complement;
    for (RecordField field : chosen) mask = mask | RecordFieldMask{field};
    for (RecordField field : others) complement = complement | RecordFieldMask{field};
    ASSERT_EQ((mask | complement), RecordFieldMask::All());
    Record a_over_b = b;
    ASSERT_TRUE(DecodeRecordFields(EncodeRecord(a), mask, a_over_b).ok());
    Record b_over_a = a;
    ASSERT_TRUE(DecodeRecordFields(EncodeRecord(b), complement, b_over_a).ok());
    ExpectSame(a_over_b, b_over_a);
  }
}

TEST(RecordCodec, SelectiveDecodeSkipsUnwantedFieldsOfAListEntry) {
  Record record;
  record.source = "court_lists";
  record.rid = "L-0001";
  record.kind = RecordKind::kList;
  record.subject.name = "济南某某有限公司";
  record.subject.kind = EntityKind::kEnterprise;
  record.list = "court_dishonest_debtor";
  record.listed_on = 19000;
  record.reason = "拒不履行";
  record.attrs = {{"备注", "x"}};
  Record decoded;
  ASSERT_TRUE(DecodeRecordFields(EncodeRecord(record),
                                 {RecordField::kList, RecordField::kListedOn,
                                  RecordField::kSubjectKind},
                                 decoded)
                  .ok());
  EXPECT_EQ(decoded.list, "court_dishonest_debtor");
  EXPECT_EQ(decoded.listed_on, 19000);
  EXPECT_EQ(decoded.subject.kind, EntityKind::kEnterprise);
  EXPECT_EQ(decoded.source, "");
  EXPECT_EQ(decoded.subject.name, "");
  EXPECT_EQ(decoded.reason, "");
  EXPECT_EQ(decoded.kind, RecordKind::kRegistry);  // not asked for: left as it was
  EXPECT_TRUE(decoded.attrs.empty());
}

TEST(RecordCodec, RefusesTruncatedAndForeignBytes) {
  Record record;
  record.source = "s";
  record.rid = "r";
  record.subject.name = "名称";
  const std::string bytes = EncodeRecord(record);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(DecodeRecord(std::string_view(bytes).substr(0, size)).ok()) << size;
    Record partial;
    EXPECT_FALSE(DecodeRecordFields(std::string_view(bytes).substr(0, size),
                                    {RecordField::kSource}, partial)
                     .ok())
        << size;
  }
  EXPECT_FALSE(DecodeRecord(bytes + "x").ok());
  std::string foreign = bytes;
  foreign[0] = 99;
  EXPECT_FALSE(DecodeRecord(foreign).ok());
}

}  // namespace
}  // namespace cg::core::store
