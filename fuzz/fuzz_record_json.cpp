// A record's JSON form built in the process from fuzzed values, as an importer builds it
// from CSV cells: any bytes in any string (invalid UTF-8, control characters), any JSON type
// in any field, unknown fields. RecordFromJson must refuse cleanly or give a record that
// checks (record_checks.h); AddRecord must never take invalid text. And, differentially,
// ValidateUtf8 must agree with nlohmann's own UTF-8 check, and Printable must give
// terminal-safe UTF-8.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>

#include "record_checks.h"
#include "tutti/record_json.h"

namespace {

using nlohmann::json;
using tutti::fuzz::Require;

void CheckText(const std::string& s) {
  bool nlohmann_ok = true;
  try {
    (void)json(s).dump();
  } catch (const json::exception&) {
    nlohmann_ok = false;
  }
  Require(tutti::ValidateUtf8("s", s).ok() == nlohmann_ok, "ValidateUtf8 agrees with nlohmann", s);
  std::string shown = tutti::Printable(s, 64);
  Require(tutti::ValidateUtf8("shown", shown).ok(), "Printable gives UTF-8", s);
  for (char c : shown) {
    auto b = static_cast<unsigned char>(c);
    Require(b >= 0x20 && b != 0x7f, "Printable gives no control bytes", s);
  }
}

std::string Text(FuzzedDataProvider& in) {
  std::string s = in.ConsumeRandomLengthString(64);
  CheckText(s);
  return s;
}

json Value(FuzzedDataProvider& in, tutti::FieldShape shape) {
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0:
      return json();
    case 1:
      return in.ConsumeBool();
    case 2:
      return in.ConsumeFloatingPoint<double>();  // infinities and NaN too
    case 3:
      return in.ConsumeIntegral<int64_t>();
    case 4:
      return json::array({Text(in), Text(in)});
    case 5: {  // shares, well formed or not
      json shares = json::array();
      for (int n = in.ConsumeIntegralInRange(0, 3); n > 0; --n) {
        json share = {{"party", Text(in)}, {"percent", Text(in)}};
        if (in.ConsumeBool()) share["territories"] = Text(in);
        if (in.ConsumeBool()) share[Text(in)] = Text(in);
        shares.push_back(std::move(share));
      }
      return shares;
    }
    default:  // what the field's shape asks for
      if (shape == tutti::FieldShape::kBool) return in.ConsumeBool();
      if (shape == tutti::FieldShape::kList) return json::array({Text(in)});
      if (shape == tutti::FieldShape::kShares) {
        return json::array({{{"party", Text(in)}, {"percent", in.ConsumeIntegral<uint8_t>()}}});
      }
      return Text(in);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  auto kinds = tutti::RecordForms();
  const tutti::RecordForm& kind = kinds[in.ConsumeIntegralInRange<size_t>(0, kinds.size() - 1)];
  json record = {
      {"type", in.ConsumeIntegralInRange(0, 15) == 0 ? Text(in) : std::string(kind.type)}};
  for (const tutti::RecordField& field : kind.fields) {
    if (in.ConsumeIntegralInRange(0, 7) == 0) continue;  // absent
    record[std::string(field.name)] = Value(in, field.shape);
  }
  if (in.ConsumeIntegralInRange(0, 7) == 0) record[Text(in)] = Text(in);  // unknown or not

  std::string failed_field;
  auto parsed = tutti::RecordFromJson(record, &failed_field);
  if (!parsed.ok()) {
    tutti::fuzz::CheckMessage(parsed.status());
    return 0;
  }
  Require(failed_field.empty(), "no failed field on success", failed_field);
  tutti::fuzz::CheckRecord(*parsed);
  tutti::Registry registry;
  (void)tutti::AddRecord(registry, tutti::Party{"p", tutti::PartyKind::kArtist, "P", ""});
  tutti::Record r = std::move(parsed).value();
  tutti::AssignId(registry, r);
  tutti::Status added = tutti::AddRecord(registry, r);
  if (!added.ok()) Require(tutti::ValidateUtf8("m", added.message()).ok(), "UTF-8", "");
  return 0;
}
