// Matcher specs (docs/matchers.md) given as the bytes of a JSON file, the way a scenario's
// "expect" arrives: read by LocatedJson, built into a Matcher, then matched against a few fixed
// events (JSON text, plain text, binary, a close).
//
// Checks beyond "no crash": a rejected spec says why; an accepted one is canonical
// (fromJson(toJson()) gives an equal matcher that judges every event the same way), and a failed
// match explains itself.

#include "frameevent.h"
#include "fuzzsupport.h"
#include "locatedjson.h"
#include "matcher.h"
#include "messageview.h"

#include <QJsonDocument>

#include <array>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

FrameEvent message(EventKind kind, QString text, QByteArray data = {})
{
    FrameEvent event;
    event.kind = kind;
    event.direction = Direction::Incoming;
    event.text = std::move(text);
    event.data = std::move(data);
    event.size = kind == EventKind::Text ? utf8Length(event.text) : event.data.size();
    return event;
}

FrameEvent closeEvent()
{
    FrameEvent event;
    event.kind = EventKind::Close;
    event.direction = Direction::Incoming;
    event.closeCode = 4001;
    event.text = u"token expired"_s;
    event.closeInitiator = CloseInitiator::Server;
    event.cleanClose = true;
    return event;
}

std::array<FrameEvent, 5> makeEvents()
{
    return {
        message(EventKind::Text,
                u"{\"type\":\"ack\",\"id\":7,\"ok\":true,\"items\":[1,2.5,\"x\",null],"
                "\"user\":{\"name\":\"Ann\",\"tags\":[\"a/b\",\"c~d\"]},\"ts\":1700000000000}"_s),
        message(EventKind::Text, u"pong 42 \u00e9\u2603"_s),
        message(EventKind::Binary, {}, QByteArray("\x00\x01\xff{\"a\":1}", 11)),
        message(EventKind::Binary, {}, QByteArray("[1,2,3]")),
        closeEvent(),
    };
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    JsonError parseError;
    const std::optional<LocatedValue> root =
        LocatedJson::parseUtf8(fuzz::bytes(data, size), u"fuzz.json"_s, &parseError);
    if (!root)
        return 0;
    const QJsonValue spec = root->toJsonValue();
    // TODO: one known fault is left (see fuzzsupport.h): integer "multipleOf" against numbers
    // past 2^63 stays unexplored.
    if (fuzz::mayReachKnownSchemaCrash(spec))
        return 0;

    QString error;
    const std::optional<Matcher> matcher = Matcher::fromJson(spec, &error, u"/expect"_s);
    if (!matcher) {
        WSPROBE_FUZZ_CHECK(!error.isEmpty(), QString());
        return 0;
    }
    const QJsonValue canonical = matcher->toJson();
    const auto json = [](const QJsonValue &value) {
        return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    };
    const std::optional<Matcher> again = Matcher::fromJson(canonical, &error);
    WSPROBE_FUZZ_CHECK(again.has_value(), error + u"\n"_s + json(canonical));
    WSPROBE_FUZZ_CHECK(*again == *matcher, json(canonical) + u"\n"_s + json(again->toJson()));
    WSPROBE_FUZZ_CHECK(!matcher->describe().isEmpty(), json(canonical));

    const std::array<FrameEvent, 5> events = makeEvents();
    for (const FrameEvent &event : events) {
        const MatchResult result = matcher->match(event);
        if (!result.matched)
            WSPROBE_FUZZ_CHECK(!result.explanation.isEmpty(), json(canonical));
        MessageView shared(event);
        const MatchResult viaView = again->match(shared);
        WSPROBE_FUZZ_CHECK(viaView.matched == result.matched,
                           json(canonical) + u"\n"_s + result.explanation + viaView.explanation);
    }
    return 0;
}
