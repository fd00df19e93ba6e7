#pragma once

#include <QString>

#include <optional>

namespace wsprobe {

struct FrameEvent;

// What pairs a sent message with its answer: a key read from each message, equal on both sides
// (a JSON field such as /id: JsonCorrelationKey in core/match). Without one, the next received
// message answers the oldest sent message still waiting.
class CorrelationKey
{
public:
    virtual ~CorrelationKey() = default;
    // The message's key, as a string that is equal exactly when the ids are; nullopt when the
    // message carries none (it is then neither paired nor waited for).
    virtual std::optional<QString> keyOf(const FrameEvent &event) const = 0;
    // As a setting or a file writes it: "/id".
    virtual QString toString() const = 0;
};

} // namespace wsprobe
