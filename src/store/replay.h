// Replaying one audit entry into a registry: shared by the change feed and VerifyStore.
#ifndef TUTTI_STORE_REPLAY_H_
#define TUTTI_STORE_REPLAY_H_

#include "tutti/audit.h"
#include "tutti/rights.h"

namespace tutti {

// Adds the record entry `e` carries to `registry` and sets its version to e.seq. The entry
// must be the next one (registry.version() + 1). kCorruption names the entry otherwise, or
// when its payload is not a record the registry accepts; `registry` is then unchanged.
Status ReplayEntry(Registry& registry, const AuditEntry& e);

}  // namespace tutti

#endif  // TUTTI_STORE_REPLAY_H_
