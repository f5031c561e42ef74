// Declarations only (include/SQLiteAPI.h): the definitions are sqlite-nio's vendored SQLite.
#include "SQLiteAPI.h"
