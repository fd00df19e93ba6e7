#pragma once

#include "logformatter.h"

namespace wsprobe {

// HAR 1.2 as Chrome DevTools writes WebSocket traffic: one entry per connection (each upgrade
// request in the log starts one), with "_resourceType": "websocket" and the messages in
// "_webSocketMessages" ({type: send|receive, time: seconds since the epoch, opcode: 1|2, data:
// text, or base64 for binary}). Written as a stream: an entry's messages go out as they come,
// and its request and response (known only when the connection is over) after them.
class HarFormatter : public LogFormatter
{
public:
    explicit HarFormatter(const ExportOptions &options);

    QByteArray begin() override;
    QByteArray event(const FrameEvent &event, qint64 sequence) override;
    QByteArray end() override;

private:
    struct Entry
    {
        QString requestText;     // the upgrade request as logged (secrets already masked)
        qint64 startedMs = 0;
        qint64 lastMs = 0;
        int status = 0;          // 0: no response
        QString responseText;    // the server's answer as logged: status line, headers, body
    };

    QByteArray openEntry(qint64 startedMs, const QString &requestText);
    QByteArray closeEntry();
    QString masked(const QString &text) const;

    ExportOptions m_options;
    Entry m_entry;
    bool m_entryOpen = false;
    bool m_firstEntry = true;
    bool m_firstMessage = true;
};

} // namespace wsprobe
