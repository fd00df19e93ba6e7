// The located JSON reader (LocatedJson) given the bytes of a file: every scenario, environment
// and spec a user writes goes through it first.
//
// Checks beyond "no crash": an error always says where (line and column), every value read has a
// position, and what Qt writes back from the value reads again and is written the same.

#include "fuzzsupport.h"
#include "locatedjson.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

void checkLocations(const LocatedValue &value)
{
    WSPROBE_FUZZ_CHECK(value.location().isValid(), value.describe());
    for (const LocatedValue &element : value.elements())
        checkLocations(element);
    for (const LocatedMember &member : value.members()) {
        WSPROBE_FUZZ_CHECK(member.keyLocation.isValid(), member.key);
        checkLocations(member.value);
    }
}

QByteArray written(const QJsonValue &json)
{
    const QJsonDocument document = json.isObject() ? QJsonDocument(json.toObject())
                                 : json.isArray()  ? QJsonDocument(json.toArray())
                                                   : QJsonDocument(QJsonArray{json});
    return document.toJson(QJsonDocument::Compact);
}

// Qt's writer produces plain RFC 8259 JSON: the strict reader reads it back, and the value read
// is written the same way. (Not "the same value": Qt writes a whole double past 2^53 in its
// shortest form, 9.007516146740737e17 as 900751614674073700, which reads as that exact integer.)
void checkRoundTrip(const LocatedValue &value)
{
    const QJsonValue json = value.toJsonValue();
    const QByteArray text = written(json);
    JsonError error;
    const std::optional<LocatedValue> reread = LocatedJson::parseUtf8(text, u"written.json"_s, &error);
    WSPROBE_FUZZ_CHECK(reread.has_value(), error.toString() + u"\n"_s + QString::fromUtf8(text));
    const bool container = json.isArray() || json.isObject();
    const QJsonValue again = container ? reread->toJsonValue() : reread->toJsonValue().toArray().at(0);
    WSPROBE_FUZZ_CHECK(written(again) == text,
                       QString::fromUtf8(text) + u"\n"_s + QString::fromUtf8(written(again)));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    JsonError error;
    const std::optional<LocatedValue> value =
        LocatedJson::parseUtf8(fuzz::bytes(data, size), u"fuzz.json"_s, &error);
    if (!value) {
        WSPROBE_FUZZ_CHECK(error.where.isValid(), error.toString());
        WSPROBE_FUZZ_CHECK(!error.message.isEmpty(), error.toString());
        return 0;
    }
    checkLocations(*value);
    checkRoundTrip(*value);
    return 0;
}
