/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small YAML document tree on top of libyaml's event parser, shared by the
 * front matter, --cast files and voice profiles. It exists so that every
 * consumer gets source positions for its diagnostics and the same safety
 * rules: anchors/aliases are refused (they can recurse), duplicate keys are
 * errors, and every scalar stays a string, as libyaml delivers it.
 *
 * Contract: ydoc_parse() returns a tree the caller frees with ydoc_free(), or
 * NULL after adding at least one diagnostic. An empty document yields a NULL
 * tree with no diagnostic (check d->errors). Lines are 1-based and already
 * shifted by line_offset; columns are 1-based.
 */
#ifndef SCRIPTCAST_YDOC_H
#define SCRIPTCAST_YDOC_H

#include <stdbool.h>
#include <stddef.h>

struct diags;

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
    enum ynode_type type;
    int line, col;
    char *scalar;         /* YNODE_SCALAR: the value, NUL-terminated */
    bool plain;           /* YNODE_SCALAR: unquoted (so "null", "~" mean null) */
    struct ynode **items; /* YNODE_SEQ: items; YNODE_MAP: values */
    char **keys;          /* YNODE_MAP: keys (scalars only) */
    int *key_lines;       /* YNODE_MAP: line of each key */
    int *key_cols;
    size_t n;
};

/*
 * Parses buf[0..len) as one YAML document. file names the source in
 * diagnostics; line_offset is added to libyaml's 0-based line numbers
 * (pass 1 for a whole file, first_line for a block cut out of a file).
 * lines, when not NULL, is the source split in lines (0-based array indexed
 * by file line - 1) used to quote the offending line; nlines is its length.
 */
struct ynode *ydoc_parse(const char *buf, size_t len, const char *file, int line_offset,
                         char *const *lines, size_t nlines, struct diags *d);
void ydoc_free(struct ynode *n);

/* Value of key in a map, or NULL. */
const struct ynode *ydoc_get(const struct ynode *map, const char *key);
/* The scalar string of n when it is a scalar, else NULL. */
const char *ydoc_str(const struct ynode *n);
/* True when n is an unquoted null scalar ("", "~", "null"). */
bool ydoc_is_null(const struct ynode *n);
/*
 * Reads a YAML 1.1 boolean (true/false/yes/no/on/off, any case). Returns
 * false and leaves *out untouched when n is not one.
 */
bool ydoc_bool(const struct ynode *n, bool *out);
/* Name of the node type for messages: "string", "list", "mapping". */
const char *ydoc_type_name(const struct ynode *n);

#endif
