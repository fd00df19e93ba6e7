// {{name}} templates: how scenario strings split into literal text and references, and their
// expansion with values from the layers of Variables, secrets included.
//
// The input is one template. Checks beyond "no crash", each a promise of variablesyntax.h or
// variables.h: escaped text reads back as itself, compose() of the pieces expands like the
// original, every reference names a valid name, and a text whose secrets were abstracted into
// references expands back to that text.

#include "fuzzsupport.h"
#include "variables.h"
#include "variablesyntax.h"

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// Fixed values, some secret and some containing template syntax of their own, which must stay
// literal: a value is never expanded again.
Variables makeVariables()
{
    Variables variables;
    variables.set(Variables::Layer::CommandLine, u"a"_s, u"1"_s);
    variables.set(Variables::Layer::Scenario, u"a"_s, u"hidden by --var"_s);
    variables.set(Variables::Layer::Scenario, u"user.name"_s, u"ann {{a}} \\{{"_s);
    variables.set(Variables::Layer::EnvironmentFile, u"api_key"_s, u"s3cr3t-k3y"_s);
    variables.set(Variables::Layer::Captured, u"session-id"_s, u"{{x}}sess"_s,
                  Variables::Secrecy::Secret);
    variables.set(Variables::Layer::Captured, u"short"_s, u"ab"_s, Variables::Secrecy::Secret);
    return variables;
}

// The segments with what compose() does not keep told apart: a malformed fragment is literal
// text, adjacent literals are one, and a reference is its name (not its spacing).
QList<VariableSyntax::Segment> normalized(const QList<VariableSyntax::Segment> &segments)
{
    QList<VariableSyntax::Segment> result;
    for (const VariableSyntax::Segment &segment : segments) {
        if (segment.kind == VariableSyntax::Segment::Reference) {
            result.append({VariableSyntax::Segment::Reference, segment.text, QString()});
            continue;
        }
        const QString &text =
            segment.kind == VariableSyntax::Segment::Malformed ? segment.source : segment.text;
        if (!result.isEmpty() && result.last().kind == VariableSyntax::Segment::Literal)
            result.last().text += text;
        else
            result.append({VariableSyntax::Segment::Literal, text, QString()});
    }
    return result;
}

QString describe(const QList<VariableSyntax::Segment> &segments)
{
    QStringList parts;
    for (const VariableSyntax::Segment &segment : segments)
        parts.append(u"%1[%2]"_s.arg(int(segment.kind)).arg(segment.text));
    return parts.join(u' ');
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(fuzz::bytes(data, size));

    const QList<VariableSyntax::Segment> segments = VariableSyntax::split(text);
    for (const VariableSyntax::Segment &segment : segments) {
        if (segment.kind == VariableSyntax::Segment::Reference)
            WSPROBE_FUZZ_CHECK(VariableSyntax::isValidName(segment.text), segment.source);
    }
    const QStringList names = VariableSyntax::referencedNames(text);
    for (const QString &name : names) {
        WSPROBE_FUZZ_CHECK(VariableSyntax::isValidName(name), name);
        const QList<VariableSyntax::Segment> reference = VariableSyntax::split(VariableSyntax::reference(name));
        WSPROBE_FUZZ_CHECK(reference.size() == 1 && reference[0].kind == VariableSyntax::Segment::Reference
                               && reference[0].text == name,
                           name);
    }

    // Any text, escaped, is one literal that reads back as itself.
    const QList<VariableSyntax::Segment> escaped = VariableSyntax::split(VariableSyntax::escape(text));
    WSPROBE_FUZZ_CHECK(text.isEmpty() ? escaped.isEmpty()
                                      : escaped.size() == 1
                                            && escaped[0].kind == VariableSyntax::Segment::Literal
                                            && escaped[0].text == text,
                       VariableSyntax::escape(text));

    // compose() writes the pieces so that they read back the same, and expand the same.
    const QString composedText = VariableSyntax::compose(segments);
    const QList<VariableSyntax::Segment> recomposed = VariableSyntax::split(composedText);
    WSPROBE_FUZZ_CHECK(normalized(recomposed) == normalized(segments),
                       describe(segments) + u"\ncomposed: "_s + describe(recomposed));
    const Variables variables = makeVariables();
    const Variables::Expansion expansion = variables.expand(text);
    const Variables::Expansion composed = variables.expand(composedText);
    WSPROBE_FUZZ_CHECK(composed.unresolved == expansion.unresolved, text);
    // Unresolved references are kept as written, and compose() writes them without spaces.
    if (expansion.unresolved.isEmpty()) {
        WSPROBE_FUZZ_CHECK(composed.text == expansion.text,
                           u"expanded: "_s + expansion.text + u"\ncomposed: "_s + composed.text);
    }

    // Turning a text into a template hides its secrets and gives the text back when expanded.
    const QString abstracted = variables.abstractSecrets(text);
    const Variables::Expansion restored = variables.expand(abstracted);
    WSPROBE_FUZZ_CHECK(restored.text == text,
                       u"abstracted: "_s + abstracted + u"\nexpanded: "_s + restored.text);
    const QString masked = variables.maskSecrets(expansion.text);
    WSPROBE_FUZZ_CHECK(!masked.contains(u"s3cr3t-k3y"), masked);

    QString error;
    const auto assignment = VariableSyntax::parseAssignment(text, &error);
    if (assignment)
        WSPROBE_FUZZ_CHECK(VariableSyntax::isValidName(assignment->first), text);
    else
        WSPROBE_FUZZ_CHECK(!error.isEmpty(), text);
    return 0;
}
