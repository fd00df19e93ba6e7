#pragma once

#include <QColor>

class QPalette;

namespace wsprobe {

// The colours that carry a meaning (failed, passed, sent, a {{reference}}, ...) in a shade that
// reads on the given palette: the deeper shades on a light theme, lighter ones on a dark theme.
// Callers pass the palette they paint with, so a theme change only needs a repaint.
class ThemeColors
{
public:
    // Dark when the window is: its text is then light, and coloured text must be light too.
    static bool isDark(const QPalette &palette);

    static QColor failure(const QPalette &palette);   // errors, failed steps and assertions
    static QColor success(const QPalette &palette);   // passed, accepted, open
    static QColor info(const QPalette &palette);      // neutral news: blue
    static QColor incoming(const QPalette &palette);  // what the peer sent us
    static QColor outgoing(const QPalette &palette);  // what we sent
    static QColor warning(const QPalette &palette);   // amber: a warning, a state in between
    static QColor reference(const QPalette &palette); // a {{variable}} that has a value
    static QColor muted(const QPalette &palette);     // pending, skipped, nothing to show
    // Behind rows the find box matches: translucent, so alternate rows and text still show.
    static QColor searchMatch(const QPalette &palette);

    // The WCAG contrast ratio of two colours: 1 (the same) to 21 (black on white).
    static double contrast(const QColor &a, const QColor &b);
    // color, made lighter (dark palette) or darker (light palette) until it reads on the
    // palette's Base: for colours chosen for white paper, such as a lexer's defaults.
    static QColor readable(const QColor &color, const QPalette &palette);
};

} // namespace wsprobe
