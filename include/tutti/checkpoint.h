// Signed checkpoints of the audit log's head, to keep somewhere the store's writers cannot
// reach (another machine, a rights holder's mailbox, a printed page).
//
// The hash chain alone proves nothing to whoever can write the store: they can edit an
// entry, recompute every hash after it and the head, and VerifyStore passes. A checkpoint
// pins entry `seq`'s hash under the platform's signature; a store whose entry `seq` no
// longer has that hash did not extend the history the checkpoint saw.
//
// The file is one JSON object (docs/STORE.md):
//   {"format": "tutti-checkpoint-1", "store": "...", "seq": 12, "hash": "<64 hex>",
//    "at": "2026-06-01T12:00:00Z", "key": "<64 hex>", "signature": "<128 hex>"}
//
// Thread-safety: value types and free functions; the Store passed is used by one thread.
#ifndef TUTTI_CHECKPOINT_H_
#define TUTTI_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tutti/signing.h"
#include "tutti/status.h"
#include "tutti/store.h"
#include "tutti/time.h"

namespace tutti {

struct Checkpoint {
  std::string store;  // the store's Describe(), for people: not checked against the store
  int64_t seq = 0;    // the head's sequence number (0: the empty log)
  std::string hash;   // entry `seq`'s hash, lower-case hex (kGenesisHash for seq 0)
  Timestamp at = 0;   // when it was made
  PublicKey key{};    // who signed it
  Signature signature{};
};

// The bytes a checkpoint's signature covers: every field but the signature and the key,
// length-prefixed after a fixed label, so no other message of tutti's signs alike.
std::string CheckpointMessage(const Checkpoint& checkpoint);

// Verifies `store` (VerifyStore: a checkpoint vouches only for a store that checks out)
// and signs its head with `key`.
Result<Checkpoint> MakeCheckpoint(Store& store, const SigningKey& key, Timestamp at);

// The JSON form above, one line.
std::string CheckpointJson(const Checkpoint& checkpoint);

// Reads what CheckpointJson writes, strictly: exactly its fields (an unknown or repeated one
// is refused), hex of the right length, at most 64 KiB. Errors (kInvalidArgument) name the
// field. Does not check the signature: VerifyAgainstCheckpoint does, against a trusted key.
Result<Checkpoint> ParseCheckpoint(std::string_view json);

// Checks that the checkpoint was signed by `trusted` (a checkpoint signed by any other key
// fails, saying so) and that `store` extends the history it pins: VerifyStore passes, and
// the store's entry `seq` has the checkpoint's hash. kCorruption otherwise, saying which.
Status VerifyAgainstCheckpoint(Store& store, const Checkpoint& checkpoint,
                               const PublicKey& trusted);

}  // namespace tutti

#endif  // TUTTI_CHECKPOINT_H_
