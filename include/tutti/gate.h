// The license gate: may this AI product make this use of this recording, here and now?
//
// A decision is a pure function of a registry snapshot and the request. It allows only if
//   1. for each right the use implicates (the recording's and its work's composition), the
//      owners of 100% of that right in the territory have each licensed the use to the
//      product, for that territory, at that time;
//   2. nobody with a say (an owner of an implicated right in the territory, or a
//      performing artist) has a deny in force for the use on the recording, its work or
//      all their works;
//   3. for persona uses (style, voice), every performing artist has an allow in force.
// Everything else is denied: a missing record never allows. Each decision lists every
// requirement with the record that met or failed it.
//
// Thread-safety: a Gate only reads its Registry; concurrent calls are safe while nothing
// adds to the registry. The registry must outlive the gate.
#ifndef TUTTI_GATE_H_
#define TUTTI_GATE_H_

#include <span>
#include <string>
#include <vector>

#include "tutti/rights.h"

namespace tutti {

struct DecisionRequest {
  Use use = Use::kTrain;
  std::string recording;
  std::string product;
  Territory territory = 0;
  Timestamp at = 0;
};

enum class Verdict : uint8_t { kAllow, kDeny };

// One requirement and how it fared. `party` is a position in registry.parties();
// `record` names the record the finding rests on, by kind (Registry::IdOf gives its id).
struct Finding {
  enum class Kind : uint8_t {
    kUnknownRecording,  // the recording id names nothing
    kUnknownProduct,    // the product id names nothing, or not a product
    kUnknownTerritory,  // the territory is no ISO 3166-1 code the registry knows
    kNoOwners,          // no owner of `right` is registered in the territory (at that time)
    kLicensed,          // `party`'s `share` of `right` is licensed by license `record`
    kUnlicensed,        // `party`'s `share` of `right` has no license in force; `record`:
                        // the license end that ended one that would cover, if any
    kNoDenial,          // `party` has no deny in force (`record`: its allow, or none)
    kDenied,            // `party` has a deny in force: consent statement `record`
    kPersonaAllowed,    // artist `party` allows this persona use: statement `record`
    kPersonaMissing,    // artist `party` has no allow in force for this persona use
  };
  Kind kind;
  bool met;
  Right right = Right::kRecording;
  uint32_t party = 0;
  Ppm share = 0;
  RecordRef record;  // kNone when the finding rests on no record
};

struct Decision {
  DecisionRequest request;
  Verdict verdict = Verdict::kDeny;
  std::vector<Finding> findings;
  int64_t registry_version = 0;  // Registry::version() of the snapshot decided on
  bool allowed() const { return verdict == Verdict::kAllow; }
};

class Gate {
 public:
  explicit Gate(const Registry& registry) : registry_(registry) {}

  Decision Decide(const DecisionRequest& request) const;

  // Decide for each request, in order: the same decisions, about 1.5x faster on a large
  // registry, because it overlaps the memory reads of a group of requests (gate_batch.cpp).
  // For servers and jobs that have many requests at hand.
  std::vector<Decision> DecideMany(std::span<const DecisionRequest> requests) const;

  // Every recording `Decide` would allow, in registry order: the training set of `product`.
  // Empty for an unknown product or territory.
  std::vector<std::string> Cleared(Use use, const std::string& product, Territory territory,
                                   Timestamp at) const;

  // The verdict alone, by dense indexes: what Decide and Cleared share. False for a
  // territory out of range.
  bool Allowed(uint32_t recording, uint32_t product, Use use, Territory territory,
               Timestamp at) const;

  // A person's reading of a decision, one requirement a line.
  std::string Explain(const Decision& decision) const;

 private:
  static constexpr uint32_t kUnknown = UINT32_MAX;
  // Decide, with the request's ids already resolved to positions (kUnknown if unknown).
  Decision DecideResolved(const DecisionRequest& request, uint32_t recording,
                          uint32_t product) const;
  // Loads the records the request's ids most likely name, before the ids are confirmed.
  void PrefetchCandidates(const DecisionRequest& request) const;
  // Loads what deciding on recordings[i] for products[i] will read (gate_batch.cpp).
  void PrefetchGroup(std::span<const uint32_t> recordings,
                     std::span<const uint32_t> products) const;
  // One evaluation for both faces, so that they cannot disagree: compiled twice, so that
  // the bare verdict (Allowed, Cleared) carries none of the explanation's code. kExplain:
  // every requirement is checked and noted in `findings`; otherwise `findings` is unused
  // and the first failure answers.
  template <bool kExplain>
  bool Evaluate(uint32_t recording, uint32_t product, Use use, Territory territory, Timestamp at,
                std::vector<Finding>* findings) const;
  // The license in force for `owner`'s share (a kLicense reference); failing that, if
  // kExplain, the end of a license that would cover the share but for that end (a
  // kLicenseEnd reference), or none.
  template <bool kExplain>
  RecordRef FindLicense(uint32_t owner, uint32_t product, Use use, Territory territory,
                        Timestamp at, uint32_t recording) const;
  struct ConsentState {
    int32_t deny = -1;   // the deny in force, if any
    int32_t allow = -1;  // an allow in force, if any
  };
  ConsentState ConsentOf(uint32_t party, Use use, uint32_t recording, Timestamp at) const;

  const Registry& registry_;
};

}  // namespace tutti

#endif  // TUTTI_GATE_H_
