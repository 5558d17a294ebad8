// The rights registry: parties, works, recordings, their ownership shares, licenses and
// consent statements, held in memory with the indexes the gate needs.
//
// A Registry is a snapshot: the store loads one, commands validate their changes against
// it, and the gate decides over it. Every Add*, EndLicense and ChangeShares validates the
// record against what is already there (ids valid and unique within their kind, ids named
// known, codes well-formed, shares summing to 100%) and either adds it or returns a Status
// naming the problem and changes nothing. Rights change over time without edits: a license
// end or a share change is a record of its own, and the history stays, so the gate answers
// for any time asked.
//
// Thread-safety: const methods may be called concurrently; Add* needs exclusive access.
#ifndef TUTTI_RIGHTS_H_
#define TUTTI_RIGHTS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tutti/huge_pages.h"
#include "tutti/id_index.h"
#include "tutti/status.h"
#include "tutti/territory.h"
#include "tutti/time.h"

namespace tutti {

enum class PartyKind : uint8_t {
  kArtist,       // a performer
  kSongwriter,   // writes compositions
  kLabel,        // usually owns recordings
  kPublisher,    // usually owns composition shares
  kDistributor,  // an indie distributor or rights agency acting for artists
  kSociety,      // a collecting society
  kProduct,      // an AI product: the licensee
};
Result<PartyKind> ParsePartyKind(std::string_view text);
std::string_view ToString(PartyKind kind);

// What an AI product may do with a work.
enum class Use : uint8_t { kTrain, kStyle, kVoice, kRemix, kReference };
inline constexpr int kUseCount = 5;
Result<Use> ParseUse(std::string_view text);
std::string_view ToString(Use use);
// Persona uses need each performing artist's own allow, whatever the owners licensed.
inline bool IsPersonaUse(Use use) { return use == Use::kStyle || use == Use::kVoice; }

class UseSet {
 public:
  UseSet() = default;
  static Result<UseSet> Parse(std::string_view comma_list);  // "train,style"
  void Add(Use use) { bits_ |= Bit(use); }
  bool Contains(Use use) const { return (bits_ & Bit(use)) != 0; }
  bool empty() const { return bits_ == 0; }
  std::string ToString() const;
  bool operator==(const UseSet&) const = default;

 private:
  static uint8_t Bit(Use use) { return static_cast<uint8_t>(1u << static_cast<int>(use)); }
  uint8_t bits_ = 0;
};

// A share of a right, in parts per million of the whole: 100% is kWhole. Percent text
// takes up to four decimals ("33.3333"), so any split a contract writes is exact.
using Ppm = int32_t;
inline constexpr Ppm kWhole = 1'000'000;
Result<Ppm> ParsePercent(std::string_view text);
std::string FormatPercent(Ppm ppm);  // "33.3333%", "50%"

struct Share {
  std::string party;
  Ppm ppm = 0;
  TerritorySet territories = TerritorySet::World();  // where this share applies
};

struct Party {
  std::string id;
  PartyKind kind = PartyKind::kArtist;
  std::string name;
  std::string ipi;  // canonical 11 digits, or empty
};

// A composition. Its shares are the composition right (songwriters, publishers).
struct Work {
  std::string id;
  std::string title;
  std::string iswc;  // canonical, or empty
  std::vector<Share> shares;
};

// A recording of a work. Its shares are the recording (master) right.
struct Recording {
  std::string id;
  std::string title;
  std::string isrc;  // canonical, or empty
  std::string work;
  std::vector<std::string> artists;  // performing artists
  std::vector<Share> shares;
  std::string audio_path;  // optional assets
  std::string midi_path;
};

// A grant from a licensor to an AI product. It covers the licensor's own shares only:
// in the listed recordings and works (listing a work covers its recordings too; listing a
// recording covers its work's composition too), or in everything the licensor owns.
struct License {
  std::string id;
  std::string licensor;
  std::string licensee;  // a party of kind product
  UseSet uses;
  TerritorySet territories;
  Timestamp from = 0;          // in force from `from` ...
  Timestamp until = kForever;  // ... until, exclusive
  bool catalog = false;
  std::vector<std::string> recordings;
  std::vector<std::string> works;
  Ppm revenue_share = 0;  // the licensor's share of the product's revenue, for payouts
};

enum class ConsentScope : uint8_t { kRecording, kWork, kAll };
std::string_view ToString(ConsentScope scope);

// A party's statement that it allows or denies a use, from `at` on. For the same party,
// scope, target and use, the latest statement in force wins; across scopes a deny in
// force beats any allow.
struct Consent {
  std::string id;  // stable and required, unique among statements; "C<n>" when assigned
  std::string party;
  ConsentScope scope = ConsentScope::kAll;
  std::string target;  // recording or work id; empty for kAll
  Use use = Use::kTrain;
  bool allow = false;
  Timestamp at = 0;
};

// Which right of a recording a share or a decision speaks of.
enum class Right : uint8_t { kRecording, kComposition };
std::string_view ToString(Right right);
Result<Right> ParseRight(std::string_view text);  // "recording" or "composition"

// The early end of a license: from `at` on it grants nothing. A license is amended by
// ending it and adding its replacement. History is kept: at a time before `at` the license
// is in force as registered, so past decisions and past payouts stay what they were.
struct LicenseEnd {
  std::string id;  // stable, "E<n>" when assigned
  std::string license;
  Timestamp at = 0;  // must lie after the license's `from` and before its `until`
  std::string reason;
};

// New shares of one right from a date on: a catalog sold, rights reverting. The shares in
// force before `from` stay in force for times before it; each change must be later than the
// one before it for the same right.
struct ShareChange {
  std::string id;                   // stable, "S<n>" when assigned
  Right right = Right::kRecording;  // kRecording: a recording's shares; kComposition: a work's
  std::string target;               // the recording's or the work's id
  std::vector<Share> shares;        // validated as the record's own shares are
  Timestamp from = 0;
};

// The kinds of record a decision can cite, and a reference to one: its kind and its position
// in the registry's vector of that kind. Positions are this snapshot's; what a person or a
// manifest cites is the stable id, Registry::IdOf(ref).
enum class RecordKind : uint8_t {
  kNone,
  kParty,
  kWork,
  kRecording,
  kLicense,
  kConsent,
  kLicenseEnd,
  kShareChange,
};
// "none", "party", "work", "recording", "license", "consent", "license_end", "share_change".
std::string_view ToString(RecordKind kind);

struct RecordRef {
  uint32_t index = 0;
  RecordKind kind = RecordKind::kNone;
  bool empty() const { return kind == RecordKind::kNone; }
  bool operator==(const RecordRef&) const = default;
};

class Registry {
 public:
  Registry() = default;
  Registry(Registry&&) = default;
  Registry& operator=(Registry&&) = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Status AddParty(Party party);
  Status AddWork(Work work);
  Status AddRecording(Recording recording);
  Status AddLicense(License license);
  Status AddConsent(Consent consent);
  Status EndLicense(LicenseEnd end);
  Status ChangeShares(ShareChange change);

  // The audit sequence number of the last change this snapshot holds (0 when empty): the
  // registry version a decision is made at. Set by whoever applies stored changes.
  int64_t version() const { return version_; }
  void set_version(int64_t version) { version_ = version; }

  // An id not yet taken, for records added without one: "<prefix><n>".
  std::string NextId(std::string_view prefix) const;

  const Party* FindParty(std::string_view id) const;
  const Work* FindWork(std::string_view id) const;
  const Recording* FindRecording(std::string_view id) const;
  const License* FindLicense(std::string_view id) const;
  const Consent* FindConsent(std::string_view id) const;
  const LicenseEnd* FindLicenseEnd(std::string_view id) const;
  const ShareChange* FindShareChange(std::string_view id) const;

  // The stable id of the record `ref` names; empty for kNone or a position out of range.
  std::string_view IdOf(RecordRef ref) const;

  // The shares of a right in force at `at`: the record's own, or those of the latest
  // ShareChange at or before `at`. Empty if the id names nothing.
  std::span<const Share> RecordingSharesAt(std::string_view recording, Timestamp at) const;
  std::span<const Share> WorkSharesAt(std::string_view work, Timestamp at) const;
  // When `license` stops granting: its `until`, or the time of its LicenseEnd; 0 if the id
  // names nothing.
  Timestamp LicenseUntil(std::string_view license) const;
  // The end of the license at position `license`, if it was ended.
  const LicenseEnd* EndOf(uint32_t license) const;

  // Sizes of the index's pools of share entries, for tests that bound memory: entries in
  // recording runs too long to be inline, in works' runs, and in share histories.
  struct IndexSizes {
    size_t recording_run_entries;
    size_t work_share_entries;
    size_t history_share_entries;
  };
  IndexSizes index_sizes() const {
    return {recording_parties_.size(), work_shares_.size(), history_shares_.size()};
  }

  std::span<const Party> parties() const { return parties_; }
  std::span<const Work> works() const { return works_; }
  std::span<const Recording> recordings() const { return recordings_; }
  std::span<const License> licenses() const { return licenses_; }
  std::span<const Consent> consents() const { return consents_; }
  std::span<const LicenseEnd> license_ends() const { return license_ends_; }
  std::span<const ShareChange> share_changes() const { return share_changes_; }

 private:
  friend class Gate;

  // Dense indexes (positions in the vectors above) that let the gate decide without
  // hashing strings or scanning the registry. They are laid out for a cold decision, which
  // costs what its dependent cache misses cost (docs/GATE.md, "Speed"): what the gate reads
  // per candidate license or statement sits inline in the lists it scans, territory sets
  // are kept once and referred to by number, and the large arrays sit on huge pages.
  template <typename T>
  using BigVector = std::vector<T, HugePageAllocator<T>>;
  using TerritorySetId = uint32_t;  // into territory_sets_: the index keeps each set once
  struct ShareIx {
    uint32_t party;
    Ppm ppm;
    TerritorySetId territories;
  };
  struct ConsentRef {
    uint32_t party;
    uint32_t index;  // into consents_
    Timestamp at;
    Use use;
    bool allow;
    ConsentScope scope;
  };
  // A recording's entries carry, besides its own, everything a decision reads about its
  // work: a copy of the work's shares (unless the work has more than kCopiedWorkShares
  // owners: then the recording refers to the work's run, so that memory grows with
  // recordings plus owners, not their product), and copies of its licenses and statements.
  // Adding a license or statement on a work updates each of its recordings, so that a
  // decision on a recording without history never reads the work's entry. The parties with
  // a say sit in one line, inline for all but unusually large runs; the lists that grow sit
  // in a parallel array, so that both lines are asked for at once, as soon as the id is
  // found. A recording whose shares or whose work's shares have changed (a ShareChange) has
  // a flag set: the gate then reads the shares in force at the time asked from the right's
  // history, and the run serves only the artists (and the original shares).
  struct alignas(64) RecordingIx {
    static constexpr size_t kInline = 4;
    static constexpr size_t kCopiedWorkShares = 16;
    enum Flags : uint8_t {
      kOwnHistory = 1,     // its shares changed: see recording_history_
      kWorkHistory = 2,    // its work's shares changed: see the work's history
      kWorkRunShared = 4,  // its work's shares are not in the run: see the work's run
      kSlowPath = kOwnHistory | kWorkHistory | kWorkRunShared,
    };
    uint32_t work;
    uint32_t first;  // the run's start in recording_parties_, if longer than kInline
    // The run: its shares, its work's shares (none if kWorkRunShared), then its artists
    // (ppm 0).
    uint16_t share_count;
    uint16_t work_share_count;
    uint16_t artist_count;
    uint8_t flags;
    ShareIx inline_run[kInline];
  };
  static_assert(sizeof(RecordingIx) == 64, "a recording's entry is one cache line");
  struct RecordingLists {
    std::vector<uint32_t> licenses;    // licenses that list this recording or its work
    std::vector<ConsentRef> consents;  // statements scoped to this recording or its work
  };
  // A work's entry serves validation and recordings added later; decisions read it only for
  // recordings flagged kWorkHistory or kWorkRunShared.
  static constexpr uint32_t kNoHistory = UINT32_MAX;
  struct WorkIx {
    uint32_t first;  // its run of shares in work_shares_
    uint32_t share_count;
    uint32_t history = kNoHistory;     // into share_histories_, once its shares changed
    std::vector<uint32_t> licenses;    // licenses that list this work
    std::vector<ConsentRef> consents;  // statements scoped to this work
  };
  struct CatalogLicenseRef {
    uint32_t licensee;
    uint32_t license;
  };
  struct PartyIx {
    std::vector<CatalogLicenseRef> catalog_licenses;  // the party's whole-catalog grants
    std::vector<ConsentRef> all_consents;             // statements scoped to all the party's works
  };
  struct LicenseIx {
    uint32_t licensor;
    uint32_t licensee;
    Timestamp from;
    Timestamp until;
    TerritorySetId territories;
    UseSet uses;
  };
  // The shares of one right over time: versions[0] the record's own (from the beginning of
  // time), then one per ShareChange, in increasing `from`.
  struct ShareVersion {
    Timestamp from;
    uint32_t first;  // its run in history_shares_
    uint32_t count;
    uint32_t change;  // into share_changes_, or kNoHistory for the record's own shares
  };
  struct ShareHistory {
    std::vector<ShareVersion> versions;
  };
  struct TerritorySetHash {
    size_t operator()(const TerritorySet& set) const { return set.Hash(); }
  };

  std::span<const ShareIx> PartiesOf(const RecordingIx& r) const {  // the whole run
    size_t size = size_t{r.share_count} + r.work_share_count + r.artist_count;
    return {size <= RecordingIx::kInline ? r.inline_run : recording_parties_.data() + r.first,
            size};
  }
  std::span<const ShareIx> SharesOf(const RecordingIx& r) const {
    return PartiesOf(r).first(r.share_count);
  }
  std::span<const ShareIx> WorkSharesOf(const RecordingIx& r) const {
    return PartiesOf(r).subspan(r.share_count, r.work_share_count);
  }
  std::span<const ShareIx> ArtistsOf(const RecordingIx& r) const {
    return PartiesOf(r).last(r.artist_count);
  }
  std::span<const ShareIx> SharesOf(const WorkIx& w) const {
    return {work_shares_.data() + w.first, w.share_count};
  }
  std::span<const ShareIx> RunOf(const ShareVersion& v) const {
    return {history_shares_.data() + v.first, v.count};
  }
  static const ShareVersion& VersionAt(const ShareHistory& history, Timestamp at);
  // The shares of recording `r`'s right and of its work's right in force at `at`: what the
  // gate reads. Without history, the entry's own run, as fast as ever.
  std::span<const ShareIx> OwnSharesAt(uint32_t r, const RecordingIx& ix, Timestamp at) const {
    if (!(ix.flags & RecordingIx::kOwnHistory)) [[likely]]
      return SharesOf(ix);
    return HistoricSharesOf(r, at);
  }
  std::span<const ShareIx> WorkOwnersAt(const RecordingIx& ix, Timestamp at) const {
    if (!(ix.flags & (RecordingIx::kWorkHistory | RecordingIx::kWorkRunShared))) [[likely]]
      return WorkSharesOf(ix);
    return WorkOwnersAt(work_ix_[ix.work], at);
  }
  std::span<const ShareIx> WorkOwnersAt(const WorkIx& w, Timestamp at) const {
    if (w.history == kNoHistory) return SharesOf(w);
    return RunOf(VersionAt(share_histories_[w.history], at));
  }
  std::span<const ShareIx> HistoricSharesOf(uint32_t recording, Timestamp at) const;
  // Whether `party` holds a share of the right in any version of its history.
  bool EverOwns(uint32_t party, std::span<const ShareIx> original,
                const ShareHistory* history) const;
  const ShareHistory* HistoryOfRecording(uint32_t recording) const;
  // Starts a right's history with its original shares, if it has none yet.
  uint32_t StartHistory(std::span<const ShareIx> original);
  bool Covers(TerritorySetId set, Territory t) const { return territory_sets_[set].Contains(t); }
  TerritorySetId Intern(const TerritorySet& set);

  enum class IdKind { kParty, kWork, kRecording, kLicense, kConsent, kLicenseEnd, kShareChange };
  // The position of the record with `id`, if any.
  std::optional<uint32_t> Find(IdKind kind, std::string_view id) const;
  // The parties of `shares`, checked: known, not products, shares summing to 100%.
  Result<std::vector<uint32_t>> ResolveShares(std::string_view what, const std::string& id,
                                              const std::vector<Share>& shares) const;
  // The index entries of `shares`, whose parties ResolveShares found.
  std::vector<ShareIx> IndexShares(const std::vector<Share>& shares,
                                   const std::vector<uint32_t>& parties);
  bool HasSay(uint32_t party, ConsentScope scope, uint32_t target) const;

  BigVector<Party> parties_;
  BigVector<Work> works_;
  BigVector<Recording> recordings_;
  BigVector<License> licenses_;
  BigVector<Consent> consents_;
  std::vector<LicenseEnd> license_ends_;
  std::vector<ShareChange> share_changes_;
  int64_t version_ = 0;

  std::vector<PartyIx> party_ix_;
  BigVector<WorkIx> work_ix_;
  BigVector<RecordingIx> recording_ix_;
  BigVector<RecordingLists> recording_lists_;
  BigVector<LicenseIx> license_ix_;
  BigVector<ShareIx> recording_parties_;  // runs too long to be inline
  BigVector<ShareIx> work_shares_;
  std::vector<std::vector<uint32_t>> work_recordings_;  // per work, its recordings
  std::vector<uint32_t> license_end_of_;  // per license, into license_ends_ or kNoHistory
  std::vector<ShareHistory> share_histories_;
  std::unordered_map<uint32_t, uint32_t> recording_history_;  // recording -> share_histories_
  BigVector<ShareIx> history_shares_;
  std::vector<TerritorySet> territory_sets_;
  std::unordered_map<TerritorySet, TerritorySetId, TerritorySetHash> territory_set_ids_;

  IdIndex party_ids_, work_ids_, recording_ids_, license_ids_, consent_ids_, license_end_ids_,
      share_change_ids_;
};

// Checks that shares of one right sum to exactly 100% in every territory any of them
// covers, and that no party holds two shares in the same territory. `what` names the
// right in the error ("recording 'R1'").
Status ValidateShares(std::string_view what, std::span<const Share> shares);

// Checks a record id: 1 to 128 characters of letters, digits and . _ : -
Status ValidateId(std::string_view what, std::string_view id);

}  // namespace tutti

#endif  // TUTTI_RIGHTS_H_
