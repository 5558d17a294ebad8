// Rights over time: license ends and share changes, with the history the gate reads when
// asked about a past or future time.
//
// A license end only moves the license's effective end (LicenseIx::until) earlier: the
// gate's test `from <= at < until` then answers for every time, before the end and after.
// A share change adds a version to the right's history; a recording with history is
// flagged in its index entry, so recordings without one keep the fast path unchanged.
#include <limits>

#include "tutti/rights.h"

namespace tutti {
namespace {

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

constexpr Timestamp kBeginning = std::numeric_limits<Timestamp>::min();

}  // namespace

const Registry::ShareVersion& Registry::VersionAt(const ShareHistory& history, Timestamp at) {
  // Few versions per right, in increasing `from`: the latest one in force is found from the
  // back. versions[0] is in force from the beginning of time.
  for (size_t i = history.versions.size() - 1; i > 0; --i) {
    if (history.versions[i].from <= at) return history.versions[i];
  }
  return history.versions[0];
}

const Registry::ShareHistory* Registry::HistoryOfRecording(uint32_t recording) const {
  if (!(recording_ix_[recording].flags & RecordingIx::kOwnHistory)) return nullptr;
  auto it = recording_history_.find(recording);
  return it == recording_history_.end() ? nullptr : &share_histories_[it->second];
}

std::span<const Registry::ShareIx> Registry::HistoricSharesOf(uint32_t recording,
                                                              Timestamp at) const {
  return RunOf(VersionAt(*HistoryOfRecording(recording), at));
}

bool Registry::EverOwns(uint32_t party, std::span<const ShareIx> original,
                        const ShareHistory* history) const {
  auto holds = [&](std::span<const ShareIx> shares) {
    for (const ShareIx& s : shares) {
      if (s.party == party) return true;
    }
    return false;
  };
  if (holds(original)) return true;
  if (history == nullptr) return false;
  for (const ShareVersion& v : history->versions) {
    if (holds(RunOf(v))) return true;
  }
  return false;
}

uint32_t Registry::StartHistory(std::span<const ShareIx> original) {
  auto first = static_cast<uint32_t>(history_shares_.size());
  history_shares_.insert(history_shares_.end(), original.begin(), original.end());
  ShareHistory history;
  history.versions.push_back(
      {kBeginning, first, static_cast<uint32_t>(original.size()), kNoHistory});
  share_histories_.push_back(std::move(history));
  return static_cast<uint32_t>(share_histories_.size() - 1);
}

Status Registry::EndLicense(LicenseEnd end) {
  TUTTI_RETURN_IF_ERROR(ValidateId("license end", end.id));
  std::string name = "license end " + Quote(end.id);
  if (Find(IdKind::kLicenseEnd, end.id)) return Status::AlreadyExists(name + " already exists");
  std::optional<uint32_t> l = Find(IdKind::kLicense, end.license);
  if (!l) return Status::NotFound(name + ": unknown license " + Quote(end.license));
  if (uint32_t earlier = license_end_of_[*l]; earlier != kNoHistory) {
    const LicenseEnd& e = license_ends_[earlier];
    return Status::AlreadyExists(name + ": license " + Quote(end.license) +
                                 " was already ended at " + FormatTime(e.at) + " by " +
                                 Quote(e.id) + "; a license ends once");
  }
  const License& lic = licenses_[*l];
  if (end.at <= lic.from || end.at >= lic.until) {
    std::string until = lic.until == kForever ? "never ends" : "ends " + FormatTime(lic.until);
    return Status::Invalid(name + ": the end " + FormatTime(end.at) + " must lie after license " +
                           Quote(lic.id) + " starts (" + FormatTime(lic.from) +
                           ") and before it ends (it " + until + ")");
  }
  auto index = static_cast<uint32_t>(license_ends_.size());
  license_ix_[*l].until = end.at;
  license_end_of_[*l] = index;
  license_end_ids_.Insert(end.id, index);
  license_ends_.push_back(std::move(end));
  return Status::Ok();
}

Status Registry::ChangeShares(ShareChange change) {
  TUTTI_RETURN_IF_ERROR(ValidateId("share change", change.id));
  std::string name = "share change " + Quote(change.id);
  if (Find(IdKind::kShareChange, change.id)) {
    return Status::AlreadyExists(name + " already exists");
  }
  bool of_recording = change.right == Right::kRecording;
  std::string_view kind = of_recording ? "recording" : "work";
  std::optional<uint32_t> target =
      Find(of_recording ? IdKind::kRecording : IdKind::kWork, change.target);
  if (!target) {
    return Status::NotFound(name + ": unknown " + std::string(kind) + " " + Quote(change.target));
  }
  auto owners = ResolveShares(kind, change.target, change.shares);
  if (!owners.ok()) return owners.status().WithContext(name);
  if (owners->size() > UINT16_MAX) {
    return Status::Invalid(name + ": more than 65535 shares");
  }
  uint32_t* history = nullptr;
  uint32_t recording_history = kNoHistory;
  if (of_recording) {
    auto it = recording_history_.find(*target);
    if (it != recording_history_.end()) recording_history = it->second;
    history = &recording_history;
  } else {
    history = &work_ix_[*target].history;
  }
  if (*history != kNoHistory) {
    const ShareVersion& last = share_histories_[*history].versions.back();
    if (last.change != kNoHistory && change.from <= last.from) {
      return Status::Invalid(name + ": the " + std::string(kind) + " " + Quote(change.target) +
                             " already changes shares from " + FormatTime(last.from) + " (" +
                             Quote(share_changes_[last.change].id) +
                             "); a change must be later than the one before it");
    }
  }

  auto index = static_cast<uint32_t>(share_changes_.size());
  if (*history == kNoHistory) {
    *history =
        StartHistory(of_recording ? SharesOf(recording_ix_[*target]) : SharesOf(work_ix_[*target]));
  }
  std::vector<ShareIx> shares = IndexShares(change.shares, *owners);
  auto first = static_cast<uint32_t>(history_shares_.size());
  history_shares_.insert(history_shares_.end(), shares.begin(), shares.end());
  share_histories_[*history].versions.push_back(
      {change.from, first, static_cast<uint32_t>(shares.size()), index});
  if (of_recording) {
    recording_history_[*target] = *history;
    recording_ix_[*target].flags |= RecordingIx::kOwnHistory;
  } else {
    for (uint32_t r : work_recordings_[*target]) {
      recording_ix_[r].flags |= RecordingIx::kWorkHistory;
    }
  }
  share_change_ids_.Insert(change.id, index);
  share_changes_.push_back(std::move(change));
  return Status::Ok();
}

std::span<const Share> Registry::RecordingSharesAt(std::string_view recording, Timestamp at) const {
  std::optional<uint32_t> r = Find(IdKind::kRecording, recording);
  if (!r) return {};
  const ShareHistory* history = HistoryOfRecording(*r);
  uint32_t change = history ? VersionAt(*history, at).change : kNoHistory;
  return change == kNoHistory ? std::span<const Share>(recordings_[*r].shares)
                              : std::span<const Share>(share_changes_[change].shares);
}

std::span<const Share> Registry::WorkSharesAt(std::string_view work, Timestamp at) const {
  std::optional<uint32_t> w = Find(IdKind::kWork, work);
  if (!w) return {};
  uint32_t history = work_ix_[*w].history;
  uint32_t change =
      history == kNoHistory ? kNoHistory : VersionAt(share_histories_[history], at).change;
  return change == kNoHistory ? std::span<const Share>(works_[*w].shares)
                              : std::span<const Share>(share_changes_[change].shares);
}

Timestamp Registry::LicenseUntil(std::string_view license) const {
  std::optional<uint32_t> l = Find(IdKind::kLicense, license);
  return l ? license_ix_[*l].until : 0;
}

const LicenseEnd* Registry::EndOf(uint32_t license) const {
  if (license >= license_end_of_.size() || license_end_of_[license] == kNoHistory) return nullptr;
  return &license_ends_[license_end_of_[license]];
}

}  // namespace tutti
