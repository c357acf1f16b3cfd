#ifndef CTURSOVERSION_H
#define CTURSOVERSION_H
// The provider's version, as written in the top-level VERSION file.

/// The bytes of VERSION, NUL-terminated, trailing newline included: the
/// caller trims it. Static storage; never freed.
const char *CTursoVersion_text(void);

#endif
