// Registry: validation of each record against the snapshot, and the dense indexes the
// gate reads.
#include <algorithm>
#include <cctype>
#include <map>

#include "tutti/codes.h"
#include "tutti/rights.h"

namespace tutti {
namespace {

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

Status ValidateId(std::string_view what, std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return Status::Invalid(std::string(what) + " id " + Quote(id) +
                           " must have 1 to 128 characters");
  }
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return Status::Invalid(std::string(what) + " id " + Quote(id) +
                             " may only use letters, digits and . _ : -");
    }
  }
  return Status::Ok();
}

Status ValidateShares(std::string_view what, std::span<const Share> shares) {
  if (shares.empty()) {
    return Status::Invalid(std::string(what) + " has no shares: give at least one owner");
  }
  for (const Share& s : shares) {
    if (s.ppm <= 0 || s.ppm > kWhole) {
      return Status::Invalid(std::string(what) + ": the share of " + Quote(s.party) + " is " +
                             FormatPercent(s.ppm) + "; a share must be above 0% and at most 100%");
    }
    if (s.territories.empty()) {
      return Status::Invalid(std::string(what) + ": the share of " + Quote(s.party) +
                             " covers no territory");
    }
  }
  // The common case: every share is worldwide, so one sum speaks for every territory.
  bool all_world = std::all_of(shares.begin(), shares.end(),
                               [](const Share& s) { return s.territories.IsWorld(); });
  int territories = all_world ? 1 : kTerritoryCount;
  for (int t = 0; t < territories; ++t) {
    int64_t sum = 0;
    bool covered = false;
    std::map<std::string_view, int> holders;
    for (const Share& s : shares) {
      if (!s.territories.Contains(static_cast<Territory>(t))) continue;
      covered = true;
      sum += s.ppm;
      if (++holders[s.party] > 1) {
        return Status::Invalid(std::string(what) + ": " + Quote(s.party) + " holds two shares in " +
                               (all_world ? "WORLD" : std::string(TerritoryCode(t))) +
                               "; give one share per owner and territory");
      }
    }
    if (covered && sum != kWhole) {
      std::string where = all_world ? "" : " in " + std::string(TerritoryCode(t));
      return Status::Invalid("shares of " + std::string(what) + " sum to " +
                             FormatPercent(static_cast<Ppm>(std::min<int64_t>(sum, INT32_MAX))) +
                             where + ", not 100%");
    }
  }
  return Status::Ok();
}

std::optional<uint32_t> Registry::Find(IdKind kind, std::string_view id) const {
  auto in = [&](const IdIndex& index, const auto& records) -> std::optional<uint32_t> {
    uint32_t i = index.Find(id, [&](uint32_t at) -> std::string_view { return records[at].id; });
    if (i == IdIndex::kNone) return std::nullopt;
    return i;
  };
  // The gate's two lookups per decision first: tested alone they cost less than the
  // switch's jump table over seven kinds.
  if (kind == IdKind::kRecording) return in(recording_ids_, recordings_);
  if (kind == IdKind::kParty) return in(party_ids_, parties_);
  switch (kind) {
    case IdKind::kParty:
      return in(party_ids_, parties_);
    case IdKind::kWork:
      return in(work_ids_, works_);
    case IdKind::kRecording:
      return in(recording_ids_, recordings_);
    case IdKind::kLicense:
      return in(license_ids_, licenses_);
    case IdKind::kConsent:
      return in(consent_ids_, consents_);
    case IdKind::kLicenseEnd:
      return in(license_end_ids_, license_ends_);
    case IdKind::kShareChange:
      return in(share_change_ids_, share_changes_);
  }
  return std::nullopt;
}

const Party* Registry::FindParty(std::string_view id) const {
  auto i = Find(IdKind::kParty, id);
  return i ? &parties_[*i] : nullptr;
}
const Work* Registry::FindWork(std::string_view id) const {
  auto i = Find(IdKind::kWork, id);
  return i ? &works_[*i] : nullptr;
}
const Recording* Registry::FindRecording(std::string_view id) const {
  auto i = Find(IdKind::kRecording, id);
  return i ? &recordings_[*i] : nullptr;
}
const License* Registry::FindLicense(std::string_view id) const {
  auto i = Find(IdKind::kLicense, id);
  return i ? &licenses_[*i] : nullptr;
}
const Consent* Registry::FindConsent(std::string_view id) const {
  auto i = Find(IdKind::kConsent, id);
  return i ? &consents_[*i] : nullptr;
}
const LicenseEnd* Registry::FindLicenseEnd(std::string_view id) const {
  auto i = Find(IdKind::kLicenseEnd, id);
  return i ? &license_ends_[*i] : nullptr;
}
const ShareChange* Registry::FindShareChange(std::string_view id) const {
  auto i = Find(IdKind::kShareChange, id);
  return i ? &share_changes_[*i] : nullptr;
}

std::string_view Registry::IdOf(RecordRef ref) const {
  auto at = [&](const auto& records) -> std::string_view {
    return ref.index < records.size() ? std::string_view(records[ref.index].id)
                                      : std::string_view();
  };
  switch (ref.kind) {
    case RecordKind::kNone:
      return {};
    case RecordKind::kParty:
      return at(parties_);
    case RecordKind::kWork:
      return at(works_);
    case RecordKind::kRecording:
      return at(recordings_);
    case RecordKind::kLicense:
      return at(licenses_);
    case RecordKind::kConsent:
      return at(consents_);
    case RecordKind::kLicenseEnd:
      return at(license_ends_);
    case RecordKind::kShareChange:
      return at(share_changes_);
  }
  return {};
}

std::string Registry::NextId(std::string_view prefix) const {
  size_t n = parties_.size() + works_.size() + recordings_.size() + licenses_.size() +
             consents_.size() + license_ends_.size() + share_changes_.size();
  constexpr IdKind kKinds[] = {IdKind::kParty,      IdKind::kWork,    IdKind::kRecording,
                               IdKind::kLicense,    IdKind::kConsent, IdKind::kLicenseEnd,
                               IdKind::kShareChange};
  for (;; ++n) {
    std::string id = std::string(prefix) + std::to_string(n + 1);
    if (std::none_of(std::begin(kKinds), std::end(kKinds),
                     [&](IdKind kind) { return Find(kind, id).has_value(); })) {
      return id;
    }
  }
}

Result<std::vector<uint32_t>> Registry::ResolveShares(std::string_view what, const std::string& id,
                                                      const std::vector<Share>& shares) const {
  std::string name = std::string(what) + " " + Quote(id);
  TUTTI_RETURN_IF_ERROR(ValidateShares(name, shares));
  std::vector<uint32_t> parties;
  parties.reserve(shares.size());
  for (const Share& s : shares) {
    std::optional<uint32_t> p = Find(IdKind::kParty, s.party);
    if (!p) return Status::NotFound(name + ": unknown party " + Quote(s.party));
    if (parties_[*p].kind == PartyKind::kProduct) {
      return Status::Invalid(name + ": " + Quote(s.party) +
                             " is an AI product; a product cannot own a share");
    }
    parties.push_back(*p);
  }
  return parties;
}

std::vector<Registry::ShareIx> Registry::IndexShares(const std::vector<Share>& shares,
                                                     const std::vector<uint32_t>& parties) {
  std::vector<ShareIx> out;
  out.reserve(shares.size());
  for (size_t i = 0; i < shares.size(); ++i) {
    out.push_back({parties[i], shares[i].ppm, Intern(shares[i].territories)});
  }
  return out;
}

Registry::TerritorySetId Registry::Intern(const TerritorySet& set) {
  auto [it, added] =
      territory_set_ids_.try_emplace(set, static_cast<TerritorySetId>(territory_sets_.size()));
  if (added) territory_sets_.push_back(set);
  return it->second;
}

Status Registry::AddParty(Party party) {
  TUTTI_RETURN_IF_ERROR(ValidateId("party", party.id));
  if (Find(IdKind::kParty, party.id)) {
    return Status::AlreadyExists("party " + Quote(party.id) + " already exists");
  }
  if (party.name.empty()) return Status::Invalid("party " + Quote(party.id) + " needs a name");
  if (!party.ipi.empty()) {
    TUTTI_ASSIGN_OR_RETURN(party.ipi, ParseIpi(party.ipi));
  }
  party_ids_.Insert(party.id, static_cast<uint32_t>(parties_.size()));
  parties_.push_back(std::move(party));
  party_ix_.emplace_back();
  return Status::Ok();
}

Status Registry::AddWork(Work work) {
  TUTTI_RETURN_IF_ERROR(ValidateId("work", work.id));
  if (Find(IdKind::kWork, work.id)) {
    return Status::AlreadyExists("work " + Quote(work.id) + " already exists");
  }
  if (work.title.empty()) return Status::Invalid("work " + Quote(work.id) + " needs a title");
  if (!work.iswc.empty()) {
    TUTTI_ASSIGN_OR_RETURN(work.iswc, ParseIswc(work.iswc));
  }
  TUTTI_ASSIGN_OR_RETURN(auto owners, ResolveShares("work", work.id, work.shares));
  if (owners.size() > UINT16_MAX) {
    return Status::Invalid("work " + Quote(work.id) + " has more than 65535 shares");
  }
  auto first = static_cast<uint32_t>(work_shares_.size());
  std::vector<ShareIx> shares = IndexShares(work.shares, owners);
  work_shares_.insert(work_shares_.end(), shares.begin(), shares.end());
  work_ids_.Insert(work.id, static_cast<uint32_t>(works_.size()));
  work_ix_.push_back({first, static_cast<uint32_t>(owners.size()), kNoHistory, {}, {}});
  work_recordings_.emplace_back();
  works_.push_back(std::move(work));
  return Status::Ok();
}

Status Registry::AddRecording(Recording rec) {
  TUTTI_RETURN_IF_ERROR(ValidateId("recording", rec.id));
  std::string name = "recording " + Quote(rec.id);
  if (Find(IdKind::kRecording, rec.id)) return Status::AlreadyExists(name + " already exists");
  if (rec.title.empty()) return Status::Invalid(name + " needs a title");
  if (!rec.isrc.empty()) {
    TUTTI_ASSIGN_OR_RETURN(rec.isrc, ParseIsrc(rec.isrc));
  }
  std::optional<uint32_t> work = Find(IdKind::kWork, rec.work);
  if (!work) return Status::NotFound(name + ": unknown work " + Quote(rec.work));
  if (rec.artists.empty()) return Status::Invalid(name + " needs at least one performing artist");
  std::vector<uint32_t> artists;
  for (const std::string& a : rec.artists) {
    std::optional<uint32_t> p = Find(IdKind::kParty, a);
    if (!p) return Status::NotFound(name + ": unknown artist " + Quote(a));
    PartyKind kind = parties_[*p].kind;
    if (kind != PartyKind::kArtist && kind != PartyKind::kSongwriter) {
      return Status::Invalid(name + ": " + Quote(a) + " is a " + std::string(ToString(kind)) +
                             ", not an artist");
    }
    artists.push_back(*p);
  }
  std::vector<uint32_t> sorted = artists;  // sorted, so a long list is checked in n log n
  std::sort(sorted.begin(), sorted.end());
  if (auto twice = std::adjacent_find(sorted.begin(), sorted.end()); twice != sorted.end()) {
    return Status::Invalid(name + ": artist " + Quote(parties_[*twice].id) + " is listed twice");
  }
  TUTTI_ASSIGN_OR_RETURN(auto owners, ResolveShares("recording", rec.id, rec.shares));
  if (owners.size() > UINT16_MAX || artists.size() > UINT16_MAX) {
    return Status::Invalid(name + " has more than 65535 shares or artists");
  }
  uint32_t index = static_cast<uint32_t>(recordings_.size());
  const WorkIx& work_ix = work_ix_[*work];
  std::vector<ShareIx> run = IndexShares(rec.shares, owners);
  RecordingIx ix{
      *work, 0, static_cast<uint16_t>(owners.size()), 0, static_cast<uint16_t>(artists.size()),
      0,     {}};
  // A short work run is copied, so that a decision never reads the work's entry; a long one
  // is referred to, so that memory does not grow with recordings times the work's owners.
  if (work_ix.share_count <= RecordingIx::kCopiedWorkShares) {
    std::span<const ShareIx> work_shares = SharesOf(work_ix);
    run.insert(run.end(), work_shares.begin(), work_shares.end());
    ix.work_share_count = static_cast<uint16_t>(work_shares.size());
  } else {
    ix.flags |= RecordingIx::kWorkRunShared;
  }
  if (work_ix.history != kNoHistory) ix.flags |= RecordingIx::kWorkHistory;
  for (uint32_t a : artists) run.push_back({a, 0, 0});
  if (run.size() <= RecordingIx::kInline) {
    std::copy(run.begin(), run.end(), ix.inline_run);
  } else {
    ix.first = static_cast<uint32_t>(recording_parties_.size());
    recording_parties_.insert(recording_parties_.end(), run.begin(), run.end());
  }
  recording_ids_.Insert(rec.id, index);
  recording_ix_.push_back(ix);
  recording_lists_.push_back({work_ix_[*work].licenses, work_ix_[*work].consents});
  work_recordings_[*work].push_back(index);
  recordings_.push_back(std::move(rec));
  return Status::Ok();
}

Status Registry::AddLicense(License lic) {
  TUTTI_RETURN_IF_ERROR(ValidateId("license", lic.id));
  std::string name = "license " + Quote(lic.id);
  if (Find(IdKind::kLicense, lic.id)) return Status::AlreadyExists(name + " already exists");
  std::optional<uint32_t> licensor = Find(IdKind::kParty, lic.licensor);
  if (!licensor) return Status::NotFound(name + ": unknown licensor " + Quote(lic.licensor));
  if (parties_[*licensor].kind == PartyKind::kProduct) {
    return Status::Invalid(name + ": the licensor " + Quote(lic.licensor) +
                           " is an AI product, not a rights holder");
  }
  std::optional<uint32_t> licensee = Find(IdKind::kParty, lic.licensee);
  if (!licensee) return Status::NotFound(name + ": unknown licensee " + Quote(lic.licensee));
  if (parties_[*licensee].kind != PartyKind::kProduct) {
    return Status::Invalid(name + ": the licensee " + Quote(lic.licensee) + " is a " +
                           std::string(ToString(parties_[*licensee].kind)) +
                           "; licenses are granted to parties of kind product");
  }
  if (lic.uses.empty()) return Status::Invalid(name + " grants no use");
  if (lic.territories.empty()) return Status::Invalid(name + " covers no territory");
  if (lic.from >= lic.until) {
    return Status::Invalid(name + ": its term ends (" + FormatTime(lic.until) +
                           ") before it starts (" + FormatTime(lic.from) + ")");
  }
  if (lic.revenue_share < 0 || lic.revenue_share > kWhole) {
    return Status::Invalid(name + ": the revenue share must be between 0% and 100%");
  }
  bool listed = !lic.recordings.empty() || !lic.works.empty();
  if (lic.catalog == listed) {
    return Status::Invalid(name +
                           " must cover either listed recordings or works, or the "
                           "licensor's whole catalog, not " +
                           (listed ? "both" : "neither"));
  }
  std::vector<uint32_t> recs, works;
  for (const std::string& r : lic.recordings) {
    std::optional<uint32_t> i = Find(IdKind::kRecording, r);
    if (!i) return Status::NotFound(name + ": unknown recording " + Quote(r));
    recs.push_back(*i);
  }
  for (const std::string& w : lic.works) {
    std::optional<uint32_t> i = Find(IdKind::kWork, w);
    if (!i) return Status::NotFound(name + ": unknown work " + Quote(w));
    works.push_back(*i);
  }
  std::sort(recs.begin(), recs.end());
  std::sort(works.begin(), works.end());
  if (std::adjacent_find(recs.begin(), recs.end()) != recs.end() ||
      std::adjacent_find(works.begin(), works.end()) != works.end()) {
    return Status::Invalid(name + " lists the same recording or work twice");
  }

  uint32_t index = static_cast<uint32_t>(licenses_.size());
  for (uint32_t r : recs) recording_lists_[r].licenses.push_back(index);
  for (uint32_t w : works) {
    work_ix_[w].licenses.push_back(index);
    for (uint32_t r : work_recordings_[w]) {
      std::vector<uint32_t>& list = recording_lists_[r].licenses;
      if (list.empty() || list.back() != index) list.push_back(index);  // once if both listed
    }
  }
  if (lic.catalog) party_ix_[*licensor].catalog_licenses.push_back({*licensee, index});
  license_ids_.Insert(lic.id, index);
  license_end_of_.push_back(kNoHistory);
  license_ix_.push_back(
      {*licensor, *licensee, lic.from, lic.until, Intern(lic.territories), lic.uses});
  licenses_.push_back(std::move(lic));
  return Status::Ok();
}

bool Registry::HasSay(uint32_t party, ConsentScope scope, uint32_t target) const {
  // A party with a say at any time: a statement is kept for all time, and the gate reads
  // it only while its author has a say.
  auto says_on_work = [&](uint32_t w) {
    const WorkIx& work = work_ix_[w];
    const ShareHistory* history =
        work.history == kNoHistory ? nullptr : &share_histories_[work.history];
    return EverOwns(party, SharesOf(work), history);
  };
  auto says_on_recording_itself = [&](uint32_t r) {
    std::span<const ShareIx> run = PartiesOf(recording_ix_[r]);  // its own shares, artists
    return std::any_of(run.begin(), run.end(),
                       [&](const ShareIx& s) { return s.party == party; }) ||
           EverOwns(party, {}, HistoryOfRecording(r));
  };
  switch (scope) {
    case ConsentScope::kAll:
      return true;
    case ConsentScope::kRecording:
      return says_on_recording_itself(target) || says_on_work(recording_ix_[target].work);
    case ConsentScope::kWork:
      return says_on_work(target) ||
             std::any_of(work_recordings_[target].begin(), work_recordings_[target].end(),
                         says_on_recording_itself);
  }
  return false;
}

Status Registry::AddConsent(Consent c) {
  TUTTI_RETURN_IF_ERROR(ValidateId("consent", c.id));
  if (Find(IdKind::kConsent, c.id)) {
    return Status::AlreadyExists("consent " + Quote(c.id) + " already exists");
  }
  std::string name = "consent " + Quote(c.id);
  std::optional<uint32_t> party = Find(IdKind::kParty, c.party);
  if (!party) return Status::NotFound(name + ": unknown party " + Quote(c.party));
  if (parties_[*party].kind == PartyKind::kProduct) {
    return Status::Invalid(name + ": " + Quote(c.party) +
                           " is an AI product; consent is given by rights holders and artists");
  }
  uint32_t target = 0;
  std::vector<ConsentRef>* list = &party_ix_[*party].all_consents;
  if (c.scope == ConsentScope::kRecording) {
    std::optional<uint32_t> r = Find(IdKind::kRecording, c.target);
    if (!r) return Status::NotFound(name + ": unknown recording " + Quote(c.target));
    target = *r;
    list = &recording_lists_[*r].consents;
  } else if (c.scope == ConsentScope::kWork) {
    std::optional<uint32_t> w = Find(IdKind::kWork, c.target);
    if (!w) return Status::NotFound(name + ": unknown work " + Quote(c.target));
    target = *w;
    list = &work_ix_[*w].consents;
  } else if (!c.target.empty()) {
    return Status::Invalid(name + ": a statement on all works names no recording or work");
  }
  std::string scope = c.scope == ConsentScope::kAll
                          ? "all its works"
                          : std::string(ToString(c.scope)) + " " + Quote(c.target);
  if (!HasSay(*party, c.scope, target)) {
    return Status::Invalid(name + ": " + Quote(c.party) + " has no say over " + scope +
                           " (it is neither an owner nor a performing artist)");
  }
  for (const ConsentRef& other : *list) {
    if (other.party == *party && other.scope == c.scope && other.use == c.use && other.at == c.at) {
      return Status::AlreadyExists(
          name + ": " + Quote(c.party) + " already has a statement for " +
          std::string(ToString(c.use)) + " on " + scope + " at " + FormatTime(c.at) +
          "; statements for the same scope overlap unless their times differ");
    }
  }
  ConsentRef ref{*party, static_cast<uint32_t>(consents_.size()), c.at, c.use, c.allow, c.scope};
  list->push_back(ref);
  if (c.scope == ConsentScope::kWork) {
    for (uint32_t r : work_recordings_[target]) recording_lists_[r].consents.push_back(ref);
  }
  consent_ids_.Insert(c.id, ref.index);
  consents_.push_back(std::move(c));
  return Status::Ok();
}

}  // namespace tutti
