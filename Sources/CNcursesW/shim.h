// ncursesw with the wide-character API (Debian: libncurses-dev).
// SwiftPM drops the _XOPEN_SOURCE flags of ncursesw.pc, so ask for the wide API here.
#ifndef ONIONS_CNCURSESW_SHIM_H
#define ONIONS_CNCURSESW_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <langinfo.h>

// C globals and macros that Swift 6 cannot import directly.
static inline WINDOW *onions_stdscr(void) { return stdscr; }
static inline int onions_lines(void) { return LINES; }
static inline int onions_cols(void) { return COLS; }
static inline int onions_colors(void) { return COLORS; }
static inline attr_t onions_a_bold(void) { return A_BOLD; }
static inline attr_t onions_a_reverse(void) { return A_REVERSE; }
static inline attr_t onions_a_underline(void) { return A_UNDERLINE; }
static inline attr_t onions_a_dim(void) { return A_DIM; }
static inline attr_t onions_a_normal(void) { return A_NORMAL; }
static inline attr_t onions_color_pair(short n) { return COLOR_PAIR(n); }
static inline int onions_key_code_yes(void) { return KEY_CODE_YES; }
static inline int onions_wcwidth(wchar_t c) { return wcwidth(c); }
static inline int onions_color_pairs(void) { return COLOR_PAIRS; }
static inline int onions_escdelay(void) { return ESCDELAY; }

// What terminfo says about `term` before curses draws anything: 1 when it can move the
// cursor to any cell (cup), 0 when it cannot (dumb, hard-copy), -1 when the type is unknown.
static inline int onions_terminal_addressable(const char *term, int fd) {
    int found = 0;
    TERMINAL *saved = cur_term;
    if (setupterm(term, fd, &found) != OK) { set_curterm(saved); return -1; }
    char *cup = tigetstr("cup");
    int addressable = cup != NULL && cup != (char *)-1;
    del_curterm(set_curterm(saved));
    return addressable;
}

// The character set of the locale in force (after setlocale), such as "UTF-8".
static inline const char *onions_codeset(void) { return nl_langinfo(CODESET); }
#endif
