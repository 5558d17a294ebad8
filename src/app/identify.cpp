// Content identification operations: files, the index file and the reference policy.
#include "tutti/identify.h"

#include "tutti/audio.h"

namespace tutti {

Result<fp::Fingerprint> FingerprintFile(const std::string& path,
                                        const fp::ExtractOptions& options) {
  audio::DecodeOptions decode;
  decode.target_rate_hz = options.sample_rate_hz;
  TUTTI_ASSIGN_OR_RETURN(audio::Audio a, audio::DecodeFile(path, decode));
  Result<fp::Fingerprint> fp = fp::Extract(a.samples, a.sample_rate_hz, options);
  if (!fp.ok()) return fp.status().WithContext("audio file '" + path + "'");
  return fp;
}

Result<std::vector<FpSource>> ReferenceSources(App& app, const std::string& product,
                                               std::optional<Territory> territory) {
  TUTTI_ASSIGN_OR_RETURN(std::string chosen, app.ResolveProduct(product));
  TUTTI_ASSIGN_OR_RETURN(const Registry* reg, app.Current());
  std::vector<Territory> territories;
  if (territory) {
    territories.push_back(*territory);
  } else {
    for (int t = 0; t < kTerritoryCount; ++t) territories.push_back(static_cast<Territory>(t));
  }
  const Gate gate(*reg);
  const Timestamp now = app.Now();
  std::vector<FpSource> out;
  for (const Recording& r : reg->recordings()) {
    if (r.audio_path.empty()) continue;
    for (Territory t : territories) {
      if (gate.Decide({Use::kReference, r.id, chosen, t, now}).allowed()) {
        out.push_back({r.id, r.audio_path});
        break;
      }
    }
  }
  return out;
}

Result<std::vector<FpSource>> RecordingSource(App& app, const std::string& recording,
                                              const std::string& file) {
  TUTTI_ASSIGN_OR_RETURN(const Registry* reg, app.Current());
  if (!reg->FindRecording(recording)) {
    return Status::NotFound("unknown recording '" + recording +
                            "': register it first (tutti recording add)");
  }
  return std::vector<FpSource>{{recording, file}};
}

namespace {

// The index's extraction options: those of the file if there is one, else the defaults.
Result<fp::ExtractOptions> IndexExtractOptions(const std::string& index_path) {
  Result<fp::IndexOptions> options = fp::ReadIndexOptions(index_path);
  if (options.ok()) return options->extract;
  if (options.status().code() == StatusCode::kNotFound) return fp::Index().extract_options();
  return options.status();
}

}  // namespace

Result<FpAddResult> FpAdd(const std::string& index_path, const std::vector<FpSource>& sources,
                          const ProgressFn& progress) {
  TUTTI_ASSIGN_OR_RETURN(fp::ExtractOptions options, IndexExtractOptions(index_path));
  FpAddResult result;
  std::vector<std::pair<const FpSource*, fp::Fingerprint>> prints;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (progress) progress(i, sources.size());
    auto print = FingerprintFile(sources[i].file, options);
    if (!print.ok()) {
      result.failed.push_back({sources[i].recording, sources[i].file, print.status()});
      continue;
    }
    prints.emplace_back(&sources[i], std::move(print).value());
  }
  if (progress) progress(sources.size(), sources.size());
  if (!result.failed.empty() || prints.empty()) return result;
  // The index may have been changed since the options were read: a recording added
  // meanwhile is skipped here, not added twice.
  Status s = fp::UpdateIndexFile(index_path, [&](fp::Index& index) -> Status {
    result.added.clear();
    result.skipped.clear();
    for (auto& [source, print] : prints) {
      if (index.Contains(source->recording)) {
        result.skipped.push_back(source->recording);
        continue;
      }
      Status added = index.Add(source->recording, print);
      if (!added.ok()) return added.WithContext("audio file '" + source->file + "'");
      result.added.push_back({source->recording, source->file, print.duration_s});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return result;
}

Result<std::vector<FpQueryResult>> FpQuery(const std::string& index_path,
                                           const std::vector<std::string>& files,
                                           const ProgressFn& progress) {
  TUTTI_ASSIGN_OR_RETURN(fp::Index index, fp::LoadIndex(index_path));
  std::vector<FpQueryResult> out;
  for (size_t i = 0; i < files.size(); ++i) {
    if (progress) progress(i, files.size());
    FpQueryResult r;
    r.file = files[i];
    auto print = FingerprintFile(files[i], index.extract_options());
    auto matches =
        print.ok() ? index.Query(*print) : Result<std::vector<fp::Match>>(print.status());
    if (matches.ok()) {
      r.matches = std::move(matches).value();
    } else {
      r.error = matches.status();
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status FpRemove(const std::string& index_path, const std::string& recording) {
  // A missing index is an error, not a new empty one.
  TUTTI_RETURN_IF_ERROR(fp::ReadIndexOptions(index_path).status());
  return fp::UpdateIndexFile(index_path, [&](fp::Index& index) { return index.Remove(recording); });
}

Result<fp::IndexStats> FpStats(const std::string& index_path) {
  TUTTI_ASSIGN_OR_RETURN(fp::Index index, fp::LoadIndex(index_path));
  return index.Stats();
}

}  // namespace tutti
