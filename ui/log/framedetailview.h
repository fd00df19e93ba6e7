#pragma once

#include "frameevent.h"

#include <QByteArrayView>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace wsprobe {

// The whole of one log event: a message as pretty JSON, raw text or a hex dump; a close's code,
// meaning, reason and initiator; a pong's round trip; the text of handshakes, errors and notes.
class FrameDetailView : public QWidget
{
    Q_OBJECT

public:
    enum Mode { JsonMode, RawMode, HexMode };
    Q_ENUM(Mode)

    // Hex dumps and formatted JSON show up to this many bytes; longer payloads are cut, and the
    // view says so. Both reach the text area in slices, so even 1 MiB (65,536 lines of hex)
    // never holds the event loop for long.
    static constexpr qsizetype MaxShownBytes = 1024 * 1024;
    // Raw text is one paragraph per line, laid out at once (a long line cannot be sliced):
    // it is cut sooner.
    static constexpr qsizetype MaxRawChars = 256 * 1024;

    explicit FrameDetailView(QWidget *parent = nullptr);

    // The event is copied (its payload is shared, not duplicated), so the view keeps showing it
    // after the log discards it. messageNumber: as FrameLogModel::messageNumber counts (0 when
    // not a message), shown in the summary; the sequence number is not shown.
    void setEvent(qint64 sequence, const FrameEvent &event, qint64 messageNumber = 0);
    void clear();
    qint64 sequence() const { return m_sequence; }

    // The chosen view for messages; it stays chosen from one message to the next. JSON falls
    // back to raw text (binary: hex) for a payload that is not JSON; the "detailMode" box shows
    // what is shown, while mode() keeps the choice.
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    // What the text area shows (all of it, even while it is still being filled in), the line
    // above it and the note below it.
    QString text() const;
    bool isFilling() const { return m_fillTimer.isActive(); }
    QString summary() const;
    QString note() const;
    // Bytes on one line of the hex dump now: 16, or 8 when 16 would not fit the width.
    int hexBytesPerLine() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void render();
    void renderMessage(const QByteArray &utf8, const QString &text, bool binary);
    void setBody(QString body, bool wrap);
    void fillSlice();

    QLabel *m_summary;
    QComboBox *m_modeBox;
    QPlainTextEdit *m_text;
    QLabel *m_note;
    QTimer m_fillTimer;
    QString m_body;            // what the text area shows once filled
    qsizetype m_filled = 0;    // how much of m_body it holds
    FrameEvent m_event;
    qint64 m_sequence = -1;
    qint64 m_messageNumber = 0;
    Mode m_mode = JsonMode;
    int m_shownHexBytesPerLine = 0;  // of the hex dump shown; 0 when none is
};

// An `xxd`-style dump: offset, bytes in pairs, and the printable ASCII, one line per
// bytesPerLine bytes (an even number, 2 to 32). Stops after maxBytes.
QString hexDump(QByteArrayView data, qsizetype maxBytes = FrameDetailView::MaxShownBytes, int bytesPerLine = 16);

} // namespace wsprobe
