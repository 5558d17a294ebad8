// Content identification as application operations: what `tutti fp` (and later the server)
// calls. The fingerprint maths is in fingerprint.h and decoding in audio.h; this layer joins
// them to files, to the reference index file, and to the registry's reference policy.
//
// The reference index is one file, changed only under its lock (fp::UpdateIndexFile): two
// processes adding at once both land, and a removal is never undone by an add that loaded
// the index before it. A change is all or nothing: if any file of an `Add` fails, the index
// is left as it was and every failure is reported.
//
// Thread-safety: the functions are reentrant; concurrent changes to one index file are
// serialized by its lock.
#ifndef TUTTI_IDENTIFY_H_
#define TUTTI_IDENTIFY_H_

#include <optional>
#include <string>
#include <vector>

#include "tutti/app.h"
#include "tutti/fingerprint.h"

namespace tutti {

// An audio file to reference under a recording id.
struct FpSource {
  std::string recording;  // a registered recording's id, or the file's path for material
                          // outside the registry (known spam, say)
  std::string file;
};

// What `fp add --registry` references: every registered recording with an audio asset whose
// `reference` use the gate clears for `product` (empty: the registry's only product) in
// `territory`, or, without one, in at least one territory, at the app's now.
Result<std::vector<FpSource>> ReferenceSources(App& app, const std::string& product,
                                               std::optional<Territory> territory);
// A rights holder referencing its own recording: `recording` must be registered.
Result<std::vector<FpSource>> RecordingSource(App& app, const std::string& recording,
                                              const std::string& file);

struct FpAddResult {
  struct Added {
    std::string recording, file;
    double seconds = 0;
  };
  struct Failed {
    std::string recording, file;
    Status error;
  };
  std::vector<Added> added;
  std::vector<std::string> skipped;  // already indexed
  std::vector<Failed> failed;        // non-empty: nothing was added
};

// Fingerprints the sources (outside the lock: it is the slow part) and adds those not yet
// indexed, in one change of the index file (created if absent).
Result<FpAddResult> FpAdd(const std::string& index_path, const std::vector<FpSource>& sources,
                          const ProgressFn& progress = {});

struct FpQueryResult {
  std::string file;
  Status error;  // the file could not be decoded or fingerprinted
  std::vector<fp::Match> matches;
};
// Matches each file against the index; a bad file is reported and the batch goes on.
Result<std::vector<FpQueryResult>> FpQuery(const std::string& index_path,
                                           const std::vector<std::string>& files,
                                           const ProgressFn& progress = {});

// Takes a recording out of the index (a takedown, a withdrawn license). NotFound if absent.
Status FpRemove(const std::string& index_path, const std::string& recording);

Result<fp::IndexStats> FpStats(const std::string& index_path);

// Decodes `path` at the index's rate and fingerprints it; errors name the file.
Result<fp::Fingerprint> FingerprintFile(const std::string& path, const fp::ExtractOptions& options);

}  // namespace tutti

#endif  // TUTTI_IDENTIFY_H_
