#include "framedetailview.h"

#include "closecodes.h"
#include "framelogmodel.h"

#include <algorithm>

#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QHBoxLayout>
#include "composedmessage.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QTextCursor>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Parsing cannot be sliced; past this size JSON is not formatted.
constexpr qsizetype MaxJsonBytes = FrameDetailView::MaxShownBytes;
// The first part of a text goes in at once, the rest in slices of about this many characters.
constexpr qsizetype FillChunkChars = 32 * 1024;
constexpr qint64 FillSliceBudgetNs = 8'000'000;
// Wrapping at word boundaries is quadratic on a long line without any; past this, wrap anywhere.
constexpr qsizetype WordWrapMaxChars = 16 * 1024;

QString mib(qsizetype bytes)
{
    return sizeText(bytes);
}

bool isMessage(EventKind kind)
{
    return kind == EventKind::Text || kind == EventKind::Binary || kind == EventKind::TextFrame
        || kind == EventKind::BinaryFrame;
}

// "Label:" padded so that values line up.
QString field(const QString &label, const QString &value)
{
    return (label + u':').leftJustified(12) + value + u'\n';
}

} // namespace

QString hexDump(QByteArrayView data, qsizetype maxBytes, int bytesPerLine)
{
    static constexpr char Digits[] = "0123456789abcdef";
    const qsizetype perLine = std::clamp(bytesPerLine & ~1, 2, 32);
    const qsizetype hexWidth = perLine * 2 + perLine / 2 - 1;  // groups of 4 digits, spaced
    const qsizetype size = std::min(data.size(), std::max<qsizetype>(0, maxBytes));
    const qsizetype lines = (size + perLine - 1) / perLine;
    QString out(lines * (10 + hexWidth + 2 + perLine + 1), Qt::Uninitialized);
    QChar *p = out.data();
    for (qsizetype offset = 0; offset < size; offset += perLine) {
        for (int shift = 28; shift >= 0; shift -= 4)
            *p++ = QLatin1Char(Digits[(quint64(offset) >> shift) & 0xf]);
        *p++ = u':';
        *p++ = u' ';
        const qsizetype count = std::min<qsizetype>(perLine, size - offset);
        for (qsizetype i = 0; i < perLine; ++i) {
            if (i < count) {
                const auto byte = quint8(data[offset + i]);
                *p++ = QLatin1Char(Digits[byte >> 4]);
                *p++ = QLatin1Char(Digits[byte & 0xf]);
            } else {
                *p++ = u' ';
                *p++ = u' ';
            }
            if (i % 2 == 1 && i != perLine - 1)
                *p++ = u' ';
        }
        *p++ = u' ';
        *p++ = u' ';
        for (qsizetype i = 0; i < count; ++i) {
            const auto byte = quint8(data[offset + i]);
            *p++ = byte >= 0x20 && byte < 0x7f ? QLatin1Char(char(byte)) : QLatin1Char('.');
        }
        *p++ = u'\n';
    }
    out.truncate(p - out.constData());
    return out;
}

FrameDetailView::FrameDetailView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_modeBox(new QComboBox(this))
    , m_text(new QPlainTextEdit(this))
    , m_note(new QLabel(this))
{
    m_summary->setObjectName(u"detailSummary"_s);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    m_modeBox->setObjectName(u"detailMode"_s);
    m_modeBox->addItem(tr("JSON"), JsonMode);
    m_modeBox->addItem(tr("Raw"), RawMode);
    m_modeBox->addItem(tr("Hex"), HexMode);
    m_modeBox->setToolTip(tr("How a message is shown: pretty-printed JSON, the raw text, or a hex dump"));
    m_modeBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && index != int(m_mode))
            setMode(Mode(index));
    });

    m_text->setObjectName(u"frameDetail"_s);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setPlaceholderText(tr("Select a row to see the whole frame."));
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setUndoRedoEnabled(false);

    m_fillTimer.setSingleShot(true);
    m_fillTimer.setInterval(0);
    connect(&m_fillTimer, &QTimer::timeout, this, &FrameDetailView::fillSlice);

    m_note->setObjectName(u"detailNote"_s);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_note->hide();

    auto *top = new QHBoxLayout;
    top->setContentsMargins(6, 4, 4, 4);
    top->addWidget(m_summary, 1);
    top->addWidget(m_modeBox, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_note);
    m_note->setContentsMargins(6, 2, 6, 4);

    clear();
}

void FrameDetailView::setEvent(qint64 sequence, const FrameEvent &event, qint64 messageNumber)
{
    m_sequence = sequence;
    m_messageNumber = messageNumber;
    m_event = event;
    render();
}

void FrameDetailView::clear()
{
    m_sequence = -1;
    m_messageNumber = 0;
    m_event = {};
    m_summary->setText(tr("No frame selected"));
    m_modeBox->setEnabled(false);
    m_fillTimer.stop();
    m_body.clear();
    m_filled = 0;
    m_text->clear();
    m_note->clear();
    m_note->hide();
}

void FrameDetailView::setMode(Mode mode)
{
    m_mode = mode;
    if (m_modeBox->currentIndex() != int(mode))
        m_modeBox->setCurrentIndex(int(mode));
    if (m_sequence >= 0)
        render();
}

int FrameDetailView::hexBytesPerLine() const
{
    // A line of 16 bytes is 67 characters: offset, 8 groups, the ASCII column.
    const int wide = m_text->fontMetrics().horizontalAdvance(QString(67, u'0'));
    const int room = m_text->viewport()->width() - 2 * int(m_text->document()->documentMargin());
    return wide <= room ? 16 : 8;
}

void FrameDetailView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // The hex dump's text column is not cut off: it takes 8 bytes a line when 16 do not fit.
    if (m_shownHexBytesPerLine != 0 && m_sequence >= 0 && hexBytesPerLine() != m_shownHexBytesPerLine)
        render();
}

QString FrameDetailView::text() const
{
    return m_body;
}

void FrameDetailView::setBody(QString body, bool wrap)
{
    m_fillTimer.stop();
    m_body = std::move(body);
    m_text->setLineWrapMode(wrap ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    m_text->setWordWrapMode(m_body.size() > WordWrapMaxChars ? QTextOption::WrapAnywhere
                                                             : QTextOption::WrapAtWordBoundaryOrAnywhere);
    // Cut after a line break, so that each slice appends whole lines.
    qsizetype cut = m_body.size();
    if (cut > FillChunkChars) {
        const qsizetype newline = m_body.lastIndexOf(u'\n', FillChunkChars - 1);
        cut = newline > 0 ? newline + 1 : m_body.size();
    }
    m_text->setPlainText(m_body.left(cut));
    m_filled = cut;
    if (m_filled < m_body.size())
        m_fillTimer.start();
}

void FrameDetailView::fillSlice()
{
    QElapsedTimer clock;
    clock.start();
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    while (m_filled < m_body.size() && clock.nsecsElapsed() < FillSliceBudgetNs) {
        qsizetype end = m_body.size();
        if (end - m_filled > FillChunkChars) {
            const qsizetype newline = m_body.lastIndexOf(u'\n', m_filled + FillChunkChars - 1);
            end = newline >= m_filled ? newline + 1 : m_body.indexOf(u'\n', m_filled + FillChunkChars) + 1;
            if (end <= m_filled)
                end = m_body.size();
        }
        cursor.insertText(QStringView(m_body).sliced(m_filled, end - m_filled).toString());
        m_filled = end;
    }
    if (m_filled < m_body.size())
        m_fillTimer.start();
}

QString FrameDetailView::summary() const
{
    return m_summary->text();
}

QString FrameDetailView::note() const
{
    return m_note->text();
}

void FrameDetailView::render()
{
    const FrameEvent &event = m_event;
    QString summary = u"%1 · %2"_s.arg(directionText(event.direction), typeText(event));
    if (m_messageNumber > 0)
        summary = tr("Message %1").arg(QLocale().toString(m_messageNumber)) + u" · "_s + summary;
    if (event.size > 0 || event.isMessage())
        summary += u" · "_s + (event.size < 1024 ? sizeText(event.size) : u"%1 (%2 B)"_s.arg(sizeText(event.size)).arg(event.size));
    summary += u" · "_s + QDateTime::fromMSecsSinceEpoch(event.wallMs).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
    if (event.kind == EventKind::TextFrame || event.kind == EventKind::BinaryFrame)
        summary += event.finalFrame ? tr(" · last fragment") : tr(" · more fragments follow");
    m_summary->setText(summary);
    m_note->clear();
    m_modeBox->setEnabled(isMessage(event.kind));
    {
        const QSignalBlocker blocker(m_modeBox);
        m_modeBox->setCurrentIndex(int(m_mode));
    }

    QString body;
    switch (event.kind) {
    case EventKind::Text:
    case EventKind::TextFrame:
        renderMessage(event.text.toUtf8(), event.text, false);
        break;
    case EventKind::Binary:
    case EventKind::BinaryFrame:
        renderMessage(event.data, {}, true);
        break;
    case EventKind::Close:
        body += field(tr("Close code"), CloseCodes::label(event.closeCode));
        body += field(tr("Meaning"), CloseCodes::description(event.closeCode));
        body += field(tr("Reason"), event.text.isEmpty() ? tr("(none)") : u'"' + event.text + u'"');
        if (event.direction == Direction::Outgoing) {
            body += field(tr("Sent by"), tr("us (the close frame we sent)"));
        } else {
            body += field(tr("Closed by"), displayName(event.closeInitiator));
            body += field(tr("Clean"), event.cleanClose ? tr("yes, both close frames were exchanged")
                                                        : tr("no, the connection ended without the close handshake"));
        }
        break;
    case EventKind::Ping:
    case EventKind::Pong:
        if (event.kind == EventKind::Pong) {
            body += field(tr("Round trip"), event.rttNs >= 0 ? u"%1 ms"_s.arg(event.rttNs / 1e6, 0, 'f', 3)
                                                             : tr("unknown (a pong we did not ask for)"));
        }
        body += field(tr("Payload"), event.data.isEmpty() ? tr("(empty)") : QString::fromUtf8(event.data));
        if (!event.data.isEmpty())
            body += u'\n' + hexDump(event.data, MaxShownBytes, hexBytesPerLine());
        break;
    case EventKind::Error:
        body += field(tr("Error"), displayName(event.error));
        if (event.httpStatus != 0)
            body += field(tr("HTTP status"), QString::number(event.httpStatus));
        body += u'\n' + event.text;
        break;
    case EventKind::Handshake:
    case EventKind::Info:
        body = event.text;
        break;
    }
    if (!isMessage(event.kind))
        setBody(body, true);
    m_note->setVisible(!m_note->text().isEmpty());
}

void FrameDetailView::renderMessage(const QByteArray &utf8, const QString &text, bool binary)
{
    m_shownHexBytesPerLine = 0;
    QStringList notes;
    Mode shown = m_mode;
    QString body;
    if (shown == JsonMode) {
        QJsonParseError error{};
        QJsonDocument document;
        if (utf8.size() <= MaxJsonBytes)
            document = QJsonDocument::fromJson(utf8, &error);
        if (!document.isNull()) {
            // Keys in the order the peer sent them, numbers as written: QJsonDocument would sort
            // the keys and reformat the numbers, which is not what was on the wire.
            const std::optional<QString> ordered = MessageComposer::beautifyJson(binary ? QString::fromUtf8(utf8) : text);
            const QString pretty = ordered ? *ordered : QString::fromUtf8(document.toJson(QJsonDocument::Indented));
            body = pretty.left(MaxShownBytes);
            if (pretty.size() > MaxShownBytes)
                notes << tr("Showing the first %1 of %2 of formatted JSON.").arg(mib(MaxShownBytes), mib(pretty.size()));
        } else {
            // Binary payloads are seldom JSON: falling back to hex needs no explanation.
            shown = binary ? HexMode : RawMode;
            if (utf8.size() > MaxJsonBytes)
                notes << tr("Not formatted as JSON: over %1.").arg(mib(MaxJsonBytes));
            else if (!binary && !utf8.isEmpty())
                notes << tr("Not JSON (%1 at byte %2): shown as it is.").arg(error.errorString()).arg(error.offset);
        }
    }
    if (shown == RawMode) {
        if (binary)
            body = QString::fromUtf8(utf8.left(MaxRawChars));
        else
            body = text.left(MaxRawChars);
        const qsizetype total = binary ? utf8.size() : text.size();
        if (total > MaxRawChars) {
            notes << tr("Showing the first %1 of %2 characters (Hex shows up to %3; Copy takes everything).")
                         .arg(QLocale().toString(MaxRawChars), QLocale().toString(total), mib(MaxShownBytes));
        }
    } else if (shown == HexMode) {
        m_shownHexBytesPerLine = hexBytesPerLine();
        body = hexDump(utf8, MaxShownBytes, m_shownHexBytesPerLine);
        if (utf8.size() > MaxShownBytes)
            notes << tr("Showing the first %1 of %2.").arg(mib(MaxShownBytes), mib(utf8.size()));
        if (!binary)
            notes << tr("Hex of the text as UTF-8.");
    }
    setBody(std::move(body), shown == RawMode);
    m_note->setText(notes.join(u' '));
    // The box shows what is shown; the choice (m_mode) stays for the next message.
    const QSignalBlocker blocker(m_modeBox);
    m_modeBox->setCurrentIndex(int(shown));
}

} // namespace wsprobe
