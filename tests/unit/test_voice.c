/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for voice profiles (src/cast/voice.c): the shipped voices/ dir
 * loads cleanly and keeps its naming promises, the search path has the
 * documented order and earlier dirs override later ones, and each kind of
 * bad profile is refused with a diagnostic at the line a user must fix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cast/voice.h"
#include "util/datadir.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const shipped_names[] = {
    "en-female-1", "en-female-2", "en-female-3", "en-female-4", "en-female-5", "en-female-6",
    "en-male-1",   "en-male-2",   "en-male-3",   "en-male-4",   "en-male-5",   "en-male-6",
    "en-narrator", "zh-female-1", "zh-female-2", "zh-female-3", "zh-female-4", "zh-female-5",
    "zh-female-6", "zh-male-1",   "zh-male-2",   "zh-male-3",   "zh-male-4",   "zh-male-5",
    "zh-male-6",   "zh-narrator",
};
#define NSHIPPED (sizeof(shipped_names) / sizeof(shipped_names[0]))

/* The repo's voices/ dir; ctest sets SCRIPTCAST_SOURCE_DIR. */
static char *shipped_dir(void)
{
    const char *src = getenv("SCRIPTCAST_SOURCE_DIR");
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s/voices", src ? src : ".");
    return strbuf_detach(&sb);
}

static char *tmp_dir(void)
{
    char templ[] = "/tmp/scriptcast-voice-XXXXXX";
    assert_non_null(mkdtemp(templ));
    return strdup(templ);
}

static char *tmp_write(const char *dir, const char *name, const char *text, size_t len)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s/%s", dir, name);
    FILE *f = fopen(sb.buf, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return strbuf_detach(&sb);
}

/* Removes a temp dir made by tmp_dir() and the plain files in it. */
static void tmp_remove(char *dir)
{
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        struct strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "%s/%s", dir, de->d_name);
        unlink(sb.buf);
        strbuf_release(&sb);
    }
    closedir(dh);
    rmdir(dir);
    free(dir);
}

/* Writes text as dir/name and loads just that file. */
static int load_text(const char *name, const char *text, size_t len, struct voice *v,
                     struct diags *d)
{
    char *dir = tmp_dir();
    char *file = tmp_write(dir, name, text, len);
    int rc = voice_load_file(v, file, d);
    free(file);
    tmp_remove(dir);
    return rc;
}

/* Loads a profile that must fail with exactly one error at line:col. */
static void expect_error(const char *name, const char *text, int line, int col,
                         const char *msg_part)
{
    struct diags d;
    struct voice v;
    diag_init(&d);
    assert_int_equal(load_text(name, text, strlen(text), &v, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].level, DIAG_ERROR);
    assert_non_null(d.v[0].file);
    assert_non_null(strstr(d.v[0].file, name));
    assert_int_equal(d.v[0].line, line);
    if (col)
        assert_int_equal(d.v[0].col, col);
    if (msg_part && !strstr(d.v[0].msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", d.v[0].msg, msg_part);
    assert_null(v.name);
    diag_release(&d);
}

static void test_shipped_profiles(void **state)
{
    (void)state;
    char *dir = shipped_dir();
    char *path[] = {dir, NULL};
    struct voicebook vb;
    struct diags d;
    diag_init(&d);
    assert_int_equal(voice_load_all(&vb, path, &d), 0);
    if (d.n)
        diag_print(&d, stderr);
    assert_int_equal(d.n, 0);
    assert_int_equal(vb.n, NSHIPPED);
    for (size_t i = 0; i < vb.n; i++) {
        const struct voice *v = &vb.v[i];
        assert_string_equal(v->name, shipped_names[i]);
        assert_string_equal(v->engine, "espeak-ng");
        assert_non_null(v->variant);
        assert_int_equal(v->line, 2); /* after the description comment */
        if (!strncmp(v->name, "zh-", 3)) {
            assert_string_equal(v->lang, "zh");
            assert_string_equal(v->voice, "cmn-latn-pinyin");
            assert_non_null(v->latin_voice);
            assert_string_equal(v->latin_voice, "en-us");
        } else {
            assert_string_equal(v->lang, "en");
            assert_string_equal(v->voice, "en-us");
        }
        /* The pool casts by gender: every LANG-male-N/LANG-female-N says it. */
        if (strstr(v->name, "-female-")) {
            assert_non_null(v->gender);
            assert_string_equal(v->gender, "female");
        } else if (strstr(v->name, "-male-")) {
            assert_non_null(v->gender);
            assert_string_equal(v->gender, "male");
        } else {
            assert_null(voice_gender(v));
        }
        /* Audibly distinct means at least a different variant per language. */
        for (size_t j = 0; j < i; j++)
            if (!strcmp(vb.v[j].lang, v->lang) && !strcmp(vb.v[j].variant, v->variant))
                fail_msg("%s and %s share variant %s", vb.v[j].name, v->name, v->variant);

        /* Each shipped file opens with a "# description" line. */
        char line[256] = "";
        FILE *f = fopen(v->path, "r");
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof(line), f));
        fclose(f);
        assert_true(line[0] == '#' && line[1] == ' ' && strlen(line) > 10);
    }
    assert_non_null(voice_find(&vb, "zh-male-1"));
    assert_string_equal(voice_find(&vb, "zh-male-1")->variant, "m3");
    assert_null(voice_find(&vb, "zh-male-7"));
    assert_null(voice_find(&vb, ""));
    voice_release_all(&vb);
    assert_int_equal(vb.n, 0);
    diag_release(&d);
    free(dir);
}

static void test_search_path_order(void **state)
{
    (void)state;
    char *cli[] = {"first", "second"};
    assert_int_equal(setenv("SCRIPTCAST_VOICES", "/env/a::/env/b:", 1), 0);
    char **path = voice_search_path(cli, 2);
    char *data = datadir_path("voices");
    const char *want[] = {"first", "second", "/env/a", "/env/b", "./voices", data};
    size_t n = 0;
    while (path[n])
        n++;
    assert_int_equal(n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < n; i++)
        assert_string_equal(path[i], want[i]);
    voice_path_free(path);

    unsetenv("SCRIPTCAST_VOICES");
    path = voice_search_path(NULL, 0);
    assert_string_equal(path[0], "./voices");
    assert_string_equal(path[1], data);
    assert_null(path[2]);
    voice_path_free(path);
    free(data);
}

static void test_earlier_dir_overrides(void **state)
{
    (void)state;
    char *ship = shipped_dir();
    char *tmp = tmp_dir();
    static const char over[] = "# test override\n"
                               "name: zh-male-1\n"
                               "lang: zh\n"
                               "voice: cmn-latn-pinyin\n"
                               "variant: m1\n"
                               "pitch: 10\n";
    static const char extra[] = "name: aa-extra\nlang: en\nvoice: en-us\n";
    free(tmp_write(tmp, "zh-male-1.yaml", over, strlen(over)));
    free(tmp_write(tmp, "aa-extra.yaml", extra, strlen(extra)));
    free(tmp_write(tmp, "notes.txt", "not a profile", 13));
    char *path[] = {tmp, ship, "/nonexistent/scriptcast-voices", NULL};
    struct voicebook vb;
    struct diags d;
    diag_init(&d);
    assert_int_equal(voice_load_all(&vb, path, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(vb.n, NSHIPPED + 1);
    assert_string_equal(vb.v[0].name, "aa-extra");
    for (size_t i = 1; i < vb.n; i++)
        assert_true(strcmp(vb.v[i - 1].name, vb.v[i].name) < 0);
    const struct voice *v = voice_find(&vb, "zh-male-1");
    assert_non_null(v);
    assert_int_equal(v->pitch, 10);
    assert_string_equal(v->variant, "m1");
    assert_int_equal(v->rate, VOICE_RATE_DEFAULT); /* defaults fill the rest */
    assert_int_equal(v->volume, VOICE_VOLUME_DEFAULT);
    assert_null(v->latin_voice);
    assert_int_equal(strncmp(v->path, tmp, strlen(tmp)), 0);
    voice_release_all(&vb);
    diag_release(&d);
    tmp_remove(tmp);
    free(ship);
}

static void test_bad_override_falls_back(void **state)
{
    (void)state;
    char *ship = shipped_dir();
    char *tmp = tmp_dir();
    static const char bad[] = "name: zh-male-2\nlang: zh\nvoice: cmn-latn-pinyin\nrate: 9000\n";
    free(tmp_write(tmp, "zh-male-2.yaml", bad, strlen(bad)));
    char *path[] = {tmp, ship, NULL};
    struct voicebook vb;
    struct diags d;
    diag_init(&d);
    assert_int_equal(voice_load_all(&vb, path, &d), 0);
    /* The broken override is reported; the shipped profile still counts. */
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 4);
    assert_int_equal(vb.n, NSHIPPED);
    const struct voice *v = voice_find(&vb, "zh-male-2");
    assert_non_null(v);
    assert_int_equal(strncmp(v->path, ship, strlen(ship)), 0);
    voice_release_all(&vb);
    diag_release(&d);
    tmp_remove(tmp);
    free(ship);
}

static void test_nothing_found(void **state)
{
    (void)state;
    char *path[] = {"/nonexistent/a", "/nonexistent/b", NULL};
    struct voicebook vb;
    struct diags d;
    diag_init(&d);
    assert_false(voice_dir_exists("/nonexistent/a"));
    assert_true(voice_dir_exists("/tmp"));
    assert_int_equal(voice_load_all(&vb, path, &d), -1);
    assert_int_equal(vb.n, 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].level, DIAG_SYSTEM);
    assert_non_null(strstr(d.v[0].msg, "/nonexistent/b"));
    voice_release_all(&vb);
    diag_release(&d);

    /* A dir with only broken profiles is the user's error, not the system's. */
    char *tmp = tmp_dir();
    free(tmp_write(tmp, "x.yaml", "name: x\n", 8));
    char *path2[] = {tmp, NULL};
    diag_init(&d);
    assert_int_equal(voice_load_all(&vb, path2, &d), -1);
    assert_int_equal(d.errors, 3); /* no lang, no voice, nothing usable */
    assert_int_equal(d.system, 0);
    assert_non_null(strstr(d.v[2].msg, "no usable voice profiles"));
    voice_release_all(&vb);
    diag_release(&d);
    tmp_remove(tmp);
}

static void test_missing_voice_key(void **state)
{
    (void)state;
    expect_error("bad.yaml",
                 "# no voice key\n"
                 "name: bad\n"
                 "lang: zh\n"
                 "rate: 170\n",
                 2, 1, "\"voice\"");
}

static void test_pitch_out_of_range(void **state)
{
    (void)state;
    expect_error("bad.yaml",
                 "# pitch too high\n"
                 "name: bad\n"
                 "lang: zh\n"
                 "voice: cmn-latn-pinyin\n"
                 "pitch: 300\n",
                 5, 8, "out of range (0-100)");
    expect_error("bad.yaml", "name: bad\nlang: en\nvoice: en-us\nrate: fast\n", 4, 7,
                 "whole number");
    expect_error("bad.yaml", "name: bad\nlang: en\nvoice: en-us\nvolume: 1.5\n", 4, 9,
                 "whole number");
    expect_error("bad.yaml", "name: bad\nlang: en\nvoice: en-us\nrange: [1, 2]\n", 4, 8,
                 "not a list");
}

static void test_unknown_key_warns(void **state)
{
    (void)state;
    static const char text[] = "name: ok\n"
                               "lang: en\n"
                               "voice: en-us\n"
                               "speed: 170\n"
                               "latin_voice: en-us\n"
                               "variant:\n";
    struct voice v;
    struct diags d;
    diag_init(&d);
    assert_int_equal(load_text("ok.yaml", text, strlen(text), &v, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 2);
    assert_int_equal(d.v[0].level, DIAG_WARNING);
    assert_int_equal(d.v[0].line, 4);
    assert_int_equal(d.v[0].col, 1);
    assert_non_null(strstr(d.v[0].msg, "\"speed\""));
    assert_int_equal(d.v[1].line, 5);
    assert_non_null(strstr(d.v[1].msg, "did you mean \"latin-voice\""));
    assert_string_equal(v.name, "ok");
    assert_null(v.variant); /* an empty value means "none" */
    assert_null(v.latin_voice);
    assert_string_equal(v.engine, "espeak-ng");
    voice_release(&v);
    diag_release(&d);
}

static void test_name_must_match_file(void **state)
{
    (void)state;
    expect_error("zh-male-9.yaml",
                 "# copied from zh-male-1 and not renamed\n"
                 "name: zh-male-1\n"
                 "lang: zh\n"
                 "voice: cmn-latn-pinyin\n",
                 2, 7, "zh-male-9");
    expect_error("bad.yaml", "name: ../bad\nlang: zh\nvoice: en-us\n", 1, 7, "bad profile name");
}

static void test_malformed_yaml(void **state)
{
    (void)state;
    expect_error("bad.yaml",
                 "name: bad\n"
                 "lang: zh\n"
                 "  voice: en-us\n",
                 3, 8, "bad YAML");
    expect_error("bad.yaml", "- name: bad\n- lang: zh\n", 1, 1, "mapping");
    expect_error("bad.yaml", "", 0, 0, "empty");
    expect_error("bad.yaml", "# only a comment\n", 0, 0, "empty");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* Line 3: 'voice: "caf' is 11 characters, then é, then the bad byte. */
    expect_error("bad.yaml",
                 "name: bad\n"
                 "lang: zh\n"
                 "voice: \"caf\xC3\xA9\xFF\"\n",
                 3, 13, "UTF-8");
}

/* Loads len bytes that must fail with one error at line:col. */
static void expect_error_bytes(const char *text, size_t len, int line, int col)
{
    struct diags d;
    struct voice v;
    diag_init(&d);
    assert_int_equal(load_text("bad.yaml", text, len, &v, &d), -1);
    assert_int_equal(d.errors, 1);
    if (d.v[0].line != line || d.v[0].col != col)
        fail_msg("reported at %d:%d (%s), expected %d:%d", d.v[0].line, d.v[0].col, d.v[0].msg,
                 line, col);
    diag_release(&d);
}

/* A NUL or another control byte is reported where it is, not at 1:1. */
static void test_control_bytes(void **state)
{
    (void)state;
    static const char nul[] = "name: bad\nlang: zh\nvoice: c\0mn\n";
    expect_error_bytes(nul, sizeof(nul) - 1, 3, 9);
    static const char esc[] = "name: bad\nlang: \x1b[31mzh\nvoice: cmn\n";
    expect_error_bytes(esc, sizeof(esc) - 1, 2, 7);
    /* Columns count characters: "# 中文" is 4 of them before the DEL. */
    static const char del[] = "# \xe4\xb8\xad\xe6\x96\x87\x7f\nname: bad\n";
    expect_error_bytes(del, sizeof(del) - 1, 1, 5);
}

static void test_engine_refused(void **state)
{
    (void)state;
    expect_error("bad.yaml",
                 "# tries to run a program\n"
                 "name: bad\n"
                 "lang: en\n"
                 "engine: \"/bin/sh\"\n"
                 "voice: en-us\n",
                 4, 9, "only engine is \"espeak-ng\"");
    /* Ids reach espeak-ng's file lookup: no paths, no '+' variant smuggling. */
    expect_error("bad.yaml", "name: bad\nlang: en\nvoice: ../../etc/x\n", 3, 8, "bad \"voice\"");
    expect_error("bad.yaml", "name: bad\nlang: en\nvoice: en-us\nvariant: m1+f2\n", 4, 10,
                 "bad \"variant\"");
}

static void test_crlf_and_quoting(void **state)
{
    (void)state;
    static const char text[] = "# windows line ends\r\n"
                               "name: crlf\r\n"
                               "lang: en\r\n"
                               "voice: en-us\r\n"
                               "rate: 500\r\n";
    struct voice v;
    struct diags d;
    diag_init(&d);
    assert_int_equal(load_text("crlf.yaml", text, strlen(text), &v, &d), -1);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 5);
    assert_non_null(d.v[0].source);
    assert_string_equal(d.v[0].source, "rate: 500"); /* no '\r' in the quote */
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_profiles),
        cmocka_unit_test(test_search_path_order),
        cmocka_unit_test(test_earlier_dir_overrides),
        cmocka_unit_test(test_bad_override_falls_back),
        cmocka_unit_test(test_nothing_found),
        cmocka_unit_test(test_missing_voice_key),
        cmocka_unit_test(test_pitch_out_of_range),
        cmocka_unit_test(test_unknown_key_warns),
        cmocka_unit_test(test_name_must_match_file),
        cmocka_unit_test(test_malformed_yaml),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_control_bytes),
        cmocka_unit_test(test_engine_refused),
        cmocka_unit_test(test_crlf_and_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
