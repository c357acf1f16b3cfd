// The top-level VERSION file is the one source of the provider's version.
// It is embedded here with C23 #embed rather than read by Package.swift:
// clang records the embedded file in the object's dependency file, so the
// build system recompiles this file whenever VERSION changes, whereas
// SwiftPM caches a manifest's evaluation and would not notice an edit to a
// file the manifest read (and Swift's -D defines cannot carry a value).
#include "CTursoVersion.h"

static const char version[] = {
#embed "../../VERSION"
    , 0
};

const char *CTursoVersion_text(void) { return version; }
