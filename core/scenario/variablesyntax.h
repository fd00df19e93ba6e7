#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <utility>

namespace wsprobe {

// The {{name}} template syntax of scenario strings, without any values: how a text splits into
// literal pieces and references, and how to write literal text so that it stays literal.
//
// - A reference is "{{", optional spaces or tabs, a name, optional spaces or tabs, "}}".
// - A name is [A-Za-z_][A-Za-z0-9_.-]*.
// - "\{{" is a literal "{{". Only backslashes directly before "{{" are special: there "\\" is one
//   literal backslash, so "\\{{a}}" is a backslash followed by the value of a. Backslashes
//   anywhere else are literal, so JSON payloads and regular expressions need no escaping.
// - In a run of three or more '{', a reference starts at the last two: "{{{a}}}" is "{", the
//   value of a, "}".
// - A "{{" that does not start a reference is malformed: kept as written, and reported.
namespace VariableSyntax {

struct Segment
{
    enum Kind { Literal, Reference, Malformed };
    Kind kind = Literal;
    // Literal: the text with escapes resolved. Reference: the name. Malformed: the fragment as
    // written, from "{{" to the next "}}", the next "{{" or the end, whichever comes first.
    QString text;
    // Reference and Malformed: the fragment exactly as written ("{{ token }}").
    QString source;

    friend bool operator==(const Segment &, const Segment &) = default;
};

bool isValidName(QStringView name);
// The pieces of text in order; adjacent literal text is one segment.
QList<Segment> split(QStringView text);
// The template that split() reads back as these segments, up to merging adjacent literals.
// A Malformed segment is written as literal text: the template expands to its source.
QString compose(const QList<Segment> &segments);
// The template that expands to literal exactly: compose() of one Literal segment.
QString escape(QStringView literal);
// The names text refers to, each once, in order of first appearance.
QStringList referencedNames(QStringView text);
// "{{name}}".
QString reference(QStringView name);
// "name=value" as given to --var. The value may be empty and may contain '='.
std::optional<std::pair<QString, QString>> parseAssignment(QStringView assignment,
                                                           QString *error);

} // namespace VariableSyntax
} // namespace wsprobe
