// The index's file format on open descriptors (index_io.cpp); the file handling around it
// (locks, temporaries, renames) is index_file.cpp. Internal to tutti_fingerprint.
#ifndef TUTTI_SRC_FINGERPRINT_INDEX_CODEC_H_
#define TUTTI_SRC_FINGERPRINT_INDEX_CODEC_H_

#include <cstdint>
#include <string>

#include "tutti/fingerprint.h"

namespace tutti::fp::internal {

// Writes the serialised `index` (must be built) to `fd` through a bounded buffer.
// IoError naming `name`.
Status WriteIndexTo(int fd, const Index& index, const std::string& name);
// Reads an index from `fd`, positioned at its start, of `size` bytes. Corruption or
// Unsupported for a bad file, IoError for a failed read (without the file's name: the
// caller adds it).
Result<Index> ReadIndexFrom(int fd, uint64_t size);
// Reads and validates only the header (the options), not the arrays or the checksum.
Result<IndexOptions> ReadIndexOptionsFrom(int fd, uint64_t size);

}  // namespace tutti::fp::internal

#endif  // TUTTI_SRC_FINGERPRINT_INDEX_CODEC_H_
