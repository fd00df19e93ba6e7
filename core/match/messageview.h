#pragma once

#include "frameevent.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace wsprobe {

// One event as the matchers see it: the payload is parsed as JSON at most once, however many
// matchers (or nested combinators) look at it. Lives for one round of matching.
class MessageView
{
public:
    // event must outlive the view. messageNumber: FrameLog::messageNumber of the event, 0 when
    // it is not a message or its log is not known.
    explicit MessageView(const FrameEvent &event, qint64 messageNumber = 0)
        : m_event(event), m_messageNumber(messageNumber) {}
    MessageView(const MessageView &) = delete;
    MessageView &operator=(const MessageView &) = delete;

    const FrameEvent &event() const { return m_event; }
    qint64 messageNumber() const { return m_messageNumber; }

    // The payload of a text message, or of a binary one read as UTF-8, parsed as JSON; nullptr
    // when it is not JSON (jsonError() says why) or the event is not a message.
    const QJsonValue *json();
    const QString &jsonError();
    // The "actual" of a JSON matcher: the payload as compact JSON (cut at 200 characters), or
    // as it came when it is not JSON. Built once.
    const QString &jsonPreview();

private:
    void parse();

    const FrameEvent &m_event;  // Not owned.
    qint64 m_messageNumber = 0;
    bool m_parsed = false;
    bool m_isJson = false;
    QJsonValue m_json;
    QString m_jsonError;
    std::optional<QString> m_jsonPreview;
};

} // namespace wsprobe
