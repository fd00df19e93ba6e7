// JSON Pointers (RFC 6901) as a matcher's "pointer" gives them, resolved against a message.
//
// The input's first line is the pointer; the rest, when it is JSON, is the document (else a fixed
// one is used). Checks beyond "no crash": a pointer's text form parses back to the same pointer,
// a rejected pointer or a failed resolution says why, and whatever a pointer reaches, every
// shorter pointer on its way reaches too.

#include "fuzzsupport.h"
#include "jsonpointer.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

QJsonValue fixedDocument()
{
    return QJsonDocument::fromJson(
               R"({"a":[{"b":1},{"":2,"c/d":3,"e~f":[true,null]}],"0":{"00":"x"},"m~n":{"-":4}})")
        .object();
}

void checkResolve(const JsonPointer &pointer, const QJsonValue &document)
{
    QString why;
    const std::optional<QJsonValue> found = pointer.resolve(document, &why);
    if (!found) {
        WSPROBE_FUZZ_CHECK(!why.isEmpty(), pointer.toString());
        return;
    }
    QList<QString> tokens = pointer.tokens();
    while (!tokens.isEmpty()) {
        tokens.removeLast();
        const JsonPointer parent = JsonPointer::fromTokens(tokens);
        WSPROBE_FUZZ_CHECK(parent.resolve(document).has_value(), pointer.toString());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input = fuzz::bytes(data, size);
    const qsizetype newline = input.indexOf('\n');
    const QString text = QString::fromUtf8(newline < 0 ? input : input.first(newline));

    QString error;
    const std::optional<JsonPointer> pointer = JsonPointer::parse(text, &error);
    if (!pointer) {
        WSPROBE_FUZZ_CHECK(!error.isEmpty(), text);
        return 0;
    }
    const QString written = pointer->toString();
    const std::optional<JsonPointer> reparsed = JsonPointer::parse(written, &error);
    WSPROBE_FUZZ_CHECK(reparsed.has_value() && *reparsed == *pointer, written);
    WSPROBE_FUZZ_CHECK(JsonPointer::fromTokens(pointer->tokens()) == *pointer, written);
    for (const QString &token : pointer->tokens()) {
        const std::optional<JsonPointer> single =
            JsonPointer::parse(u"/"_s + JsonPointer::escapeToken(token), &error);
        WSPROBE_FUZZ_CHECK(single && single->tokens() == QList<QString>{token}, token);
    }

    checkResolve(*pointer, fixedDocument());
    if (newline >= 0) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(input.sliced(newline + 1).toByteArray(), &parseError);
        if (parseError.error == QJsonParseError::NoError)
            checkResolve(*pointer, document.isArray() ? QJsonValue(document.array())
                                                      : QJsonValue(document.object()));
    }
    return 0;
}
