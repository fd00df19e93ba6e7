#pragma once

namespace wsprobe {

// Where something starts in a text file, as an editor shows it: both numbers are 1-based.
// A column counts characters (Unicode code points), so "é" and "😀" are one column each and a
// tab is one column. A line ends at LF, CR LF or a lone CR. {0, 0} means "no position" (an
// error about the file as a whole, such as one that cannot be opened).
struct SourceLocation
{
    int line = 0;
    int column = 0;

    bool isValid() const { return line > 0 && column > 0; }
    friend bool operator==(const SourceLocation &, const SourceLocation &) = default;
};

} // namespace wsprobe
