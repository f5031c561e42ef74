// The few functions of SQLite's C API that the store calls itself, for statements it prepares once
// and reuses (Sources/Storage/PreparedStatements.swift). They are the SQLite that sqlite-nio vendors
// and links into every Vangnet binary; sqlite-nio renames its copy's symbols (`sqlite_nio_sqlite3_…`)
// and does not publish its C target, so they are declared here under names of our own, bound to
// those symbols by an assembler label. One SQLite in the process: the connection handles are
// sqlite-nio's, the statements are prepared on them.
#ifndef VANGNET_SQLITE_API_H
#define VANGNET_SQLITE_API_H

#include <stdint.h>

#ifdef __APPLE__
#define VANGNET_SQLITE(name) __asm__("_sqlite_nio_sqlite3_" #name)
#else
#define VANGNET_SQLITE(name) __asm__("sqlite_nio_sqlite3_" #name)
#endif

typedef struct vangnet_sqlite3 vangnet_sqlite3;
typedef struct vangnet_sqlite3_stmt vangnet_sqlite3_stmt;

#define VANGNET_SQLITE_OK 0
#define VANGNET_SQLITE_ROW 100
#define VANGNET_SQLITE_DONE 101
#define VANGNET_SQLITE_INTEGER 1
#define VANGNET_SQLITE_FLOAT 2
#define VANGNET_SQLITE_TEXT 3
#define VANGNET_SQLITE_BLOB 4
#define VANGNET_SQLITE_NULL 5
#define VANGNET_SQLITE_PREPARE_PERSISTENT 0x01

int vangnet_sqlite3_prepare_v3(vangnet_sqlite3 *db, const char *sql, int bytes, unsigned int flags,
                               vangnet_sqlite3_stmt **statement, const char **tail) VANGNET_SQLITE(prepare_v3);
int vangnet_sqlite3_bind_parameter_count(vangnet_sqlite3_stmt *statement) VANGNET_SQLITE(bind_parameter_count);
int vangnet_sqlite3_bind_int64(vangnet_sqlite3_stmt *statement, int index, int64_t value) VANGNET_SQLITE(bind_int64);
int vangnet_sqlite3_bind_null(vangnet_sqlite3_stmt *statement, int index) VANGNET_SQLITE(bind_null);
/// Bound with SQLITE_STATIC (a null destructor): the caller keeps the bytes alive until the
/// bindings are cleared.
int vangnet_sqlite3_bind_text(vangnet_sqlite3_stmt *statement, int index, const char *text, int bytes,
                              void (*destructor)(void *)) VANGNET_SQLITE(bind_text);
int vangnet_sqlite3_bind_blob(vangnet_sqlite3_stmt *statement, int index, const void *bytes, int count,
                              void (*destructor)(void *)) VANGNET_SQLITE(bind_blob);
int vangnet_sqlite3_step(vangnet_sqlite3_stmt *statement) VANGNET_SQLITE(step);
int vangnet_sqlite3_reset(vangnet_sqlite3_stmt *statement) VANGNET_SQLITE(reset);
int vangnet_sqlite3_clear_bindings(vangnet_sqlite3_stmt *statement) VANGNET_SQLITE(clear_bindings);
int vangnet_sqlite3_finalize(vangnet_sqlite3_stmt *statement) VANGNET_SQLITE(finalize);
int vangnet_sqlite3_column_count(vangnet_sqlite3_stmt *statement) VANGNET_SQLITE(column_count);
int vangnet_sqlite3_column_type(vangnet_sqlite3_stmt *statement, int column) VANGNET_SQLITE(column_type);
int64_t vangnet_sqlite3_column_int64(vangnet_sqlite3_stmt *statement, int column) VANGNET_SQLITE(column_int64);
double vangnet_sqlite3_column_double(vangnet_sqlite3_stmt *statement, int column) VANGNET_SQLITE(column_double);
const unsigned char *vangnet_sqlite3_column_text(vangnet_sqlite3_stmt *statement, int column) VANGNET_SQLITE(column_text);
const void *vangnet_sqlite3_column_blob(vangnet_sqlite3_stmt *statement, int column) VANGNET_SQLITE(column_blob);
int vangnet_sqlite3_column_bytes(vangnet_sqlite3_stmt *statement, int column) VANGNET_SQLITE(column_bytes);
const char *vangnet_sqlite3_errmsg(vangnet_sqlite3 *db) VANGNET_SQLITE(errmsg);
int vangnet_sqlite3_extended_errcode(vangnet_sqlite3 *db) VANGNET_SQLITE(extended_errcode);

#endif
